// Command checklog checks a rekap transparency log with Go's own implementation of signed notes
// and tiled Merkle trees (golang.org/x/mod/sumdb/note and tlog), so that rekap is shown to speak
// C2SP signed-note, tlog-checkpoint and tlog-tiles as existing tooling does, not only as its
// own verifier reads them.
//
// Usage: checklog -url http://127.0.0.1:PORT -vkey <verifier key>
//
// It verifies the checkpoint's signature, recomputes the root hash from the tiles, checks that
// every entry (or a sample, in large logs) hashes to its leaf and has a valid inclusion proof,
// and checks consistency proofs from older tree sizes. It exits 1 on the first failure.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"mime"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// tlog-tiles fixes the tile height at 8 (256 hashes per full tile).
const tileHeight = 8

// Logs at most this big have every entry checked; larger ones a sample.
const checkAllUpTo = 2000

const sampleSize = 200

func main() {
	url := flag.String("url", "", "base URL of the rekap server, e.g. http://127.0.0.1:8080")
	vkey := flag.String("vkey", "", "the log's verifier key (<name>+<key id>+<base64 key>)")
	flag.Parse()
	if *url == "" || *vkey == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	summary, err := check(strings.TrimSuffix(*url, "/")+"/log/", *vkey)
	if err != nil {
		fmt.Fprintf(os.Stderr, "checklog: FAIL: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("checklog: OK: " + summary)
}

func check(prefix, vkey string) (string, error) {
	f := &fetcher{prefix: prefix, client: &http.Client{Timeout: 30 * time.Second},
		cache: map[string][]byte{}}

	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return "", fmt.Errorf("verifier key %q: %v", vkey, err)
	}
	msg, err := f.get("checkpoint", "text/plain; charset=utf-8")
	if err != nil {
		return "", err
	}
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		return "", fmt.Errorf("checkpoint does not verify with %s: %v\n%s", vkey, err, msg)
	}
	origin, tree, err := parseCheckpoint(n.Text)
	if err != nil {
		return "", fmt.Errorf("checkpoint: %v\n%s", err, n.Text)
	}
	if tree.N == 0 {
		// RFC 6962 defines the empty tree's hash; tlog.TreeHash uses zeros instead.
		if tree.Hash != tlog.Hash(sha256.Sum256(nil)) {
			return "", fmt.Errorf("empty tree's root hash is %v, want SHA-256 of nothing", tree.Hash)
		}
		return fmt.Sprintf("origin %q, empty tree", origin), nil
	}

	hr := tlog.TileHashReader(tree, f)
	th, err := tlog.TreeHash(tree.N, hr)
	if err != nil {
		return "", fmt.Errorf("tree hash from tiles: %v", err)
	}
	if th != tree.Hash {
		return "", fmt.Errorf("tiles give root hash %v at size %d, checkpoint says %v", th, tree.N,
			tree.Hash)
	}

	checked, err := checkEntries(f, hr, tree)
	if err != nil {
		return "", err
	}
	proofs, err := checkConsistency(hr, tree)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("origin %q, size %d, root %v: checkpoint signature by %s, root from tiles, "+
		"%d entries hashed and proven included, %d consistency proofs, %d files fetched",
		origin, tree.N, tree.Hash, verifier.Name(), checked, proofs, f.fetched), nil
}

// parseCheckpoint reads a tlog-checkpoint note text: origin, decimal size without leading
// zeroes, base64 root hash, then optional non-empty extension lines.
func parseCheckpoint(text string) (string, tlog.Tree, error) {
	if !strings.HasSuffix(text, "\n") {
		return "", tlog.Tree{}, errors.New("text does not end in a newline")
	}
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	if len(lines) < 3 {
		return "", tlog.Tree{}, errors.New("fewer than three lines")
	}
	for i, l := range lines {
		if l == "" {
			return "", tlog.Tree{}, fmt.Errorf("line %d is empty", i+1)
		}
	}
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return "", tlog.Tree{}, fmt.Errorf("tree size %q is not a canonical decimal", lines[1])
	}
	root, err := base64.StdEncoding.DecodeString(lines[2])
	if err != nil || len(root) != tlog.HashSize ||
		base64.StdEncoding.EncodeToString(root) != lines[2] {
		return "", tlog.Tree{}, fmt.Errorf("root hash %q is not canonical base64 of 32 bytes",
			lines[2])
	}
	var h tlog.Hash
	copy(h[:], root)
	return lines[0], tlog.Tree{N: size, Hash: h}, nil
}

// checkEntries fetches the entry bundles of the records it checks, and for each such record
// requires that its RFC 6962 leaf hash be the level-0 hash in the authenticated tiles and that
// an inclusion proof of it check against the checkpoint.
func checkEntries(f *fetcher, hr tlog.HashReader, tree tlog.Tree) (int, error) {
	indexes := sampleIndexes(tree.N)
	stored := make([]int64, len(indexes))
	for i, x := range indexes {
		stored[i] = tlog.StoredHashIndex(0, x)
	}
	leaves, err := hr.ReadHashes(stored)
	if err != nil {
		return 0, fmt.Errorf("reading leaf hashes from tiles: %v", err)
	}
	bundles := map[int64][][]byte{}
	for i, x := range indexes {
		b := x / (1 << tileHeight)
		if _, ok := bundles[b]; !ok {
			if bundles[b], err = f.bundle(b, tree.N); err != nil {
				return 0, err
			}
		}
		entry := bundles[b][x%(1<<tileHeight)]
		h := tlog.RecordHash(entry)
		if h != leaves[i] {
			return 0, fmt.Errorf("entry %d (%d bytes) hashes to %v, level-0 tile holds %v", x,
				len(entry), h, leaves[i])
		}
		p, err := tlog.ProveRecord(tree.N, x, hr)
		if err != nil {
			return 0, fmt.Errorf("inclusion proof of entry %d: %v", x, err)
		}
		if err := tlog.CheckRecord(p, tree.N, tree.Hash, x, h); err != nil {
			return 0, fmt.Errorf("inclusion proof of entry %d does not check: %v", x, err)
		}
		// The proof must also fail for any other leaf, or the check above proves nothing.
		wrong := h
		wrong[0] ^= 1
		if tlog.CheckRecord(p, tree.N, tree.Hash, x, wrong) == nil {
			return 0, fmt.Errorf("inclusion proof of entry %d also checks for a changed leaf", x)
		}
	}
	return len(indexes), nil
}

// sampleIndexes is every record of a small log; of a large one, the first, the last, the
// edges of the first full bundle, and a reproducible random sample.
func sampleIndexes(n int64) []int64 {
	if n <= checkAllUpTo {
		all := make([]int64, n)
		for i := range all {
			all[i] = int64(i)
		}
		return all
	}
	pick := map[int64]bool{0: true, n - 1: true, 255: true, 256: true}
	r := rand.New(rand.NewSource(n))
	for len(pick) < sampleSize+4 {
		pick[r.Int63n(n)] = true
	}
	var out []int64
	for x := range pick {
		out = append(out, x)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// checkConsistency proves, with Go's tlog, that trees of several older sizes are prefixes of
// the checkpoint's tree, and that one older tree is a prefix of another.
func checkConsistency(hr tlog.HashReader, tree tlog.Tree) (int, error) {
	if tree.N < 2 {
		return 0, nil
	}
	r := rand.New(rand.NewSource(tree.N + 1))
	sizes := map[int64]bool{1: true, tree.N - 1: true, tree.N / 2: true, 1 + r.Int63n(tree.N-1): true}
	if tree.N > 256 {
		sizes[256] = true
	}
	proofs := 0
	older := map[int64]tlog.Hash{}
	for n := range sizes {
		if n < 1 || n >= tree.N {
			continue
		}
		h, err := tlog.TreeHash(n, hr)
		if err != nil {
			return 0, fmt.Errorf("tree hash at size %d: %v", n, err)
		}
		older[n] = h
		p, err := tlog.ProveTree(tree.N, n, hr)
		if err != nil {
			return 0, fmt.Errorf("consistency proof %d -> %d: %v", n, tree.N, err)
		}
		if err := tlog.CheckTree(p, tree.N, tree.Hash, n, h); err != nil {
			return 0, fmt.Errorf("consistency proof %d -> %d does not check: %v", n, tree.N, err)
		}
		proofs++
	}
	if a, b := int64(1), tree.N/2; b > a {
		p, err := tlog.ProveTree(b, a, hr)
		if err != nil {
			return 0, fmt.Errorf("consistency proof %d -> %d: %v", a, b, err)
		}
		if err := tlog.CheckTree(p, b, older[b], a, older[a]); err != nil {
			return 0, fmt.Errorf("consistency proof %d -> %d does not check: %v", a, b, err)
		}
		proofs++
	}
	return proofs, nil
}

// fetcher is a tlog.TileReader over a C2SP tlog-tiles server; it keeps what it fetched in
// memory. Tile data is not trusted as such: tlog's TileHashReader leaves some full tiles
// unauthenticated (its parent check starts at the count of subtree hashes, not of the tiles
// fetched for them), so every hash this program relies on is confirmed by an inclusion or
// consistency proof against the signed root.
type fetcher struct {
	prefix  string
	client  *http.Client
	cache   map[string][]byte
	fetched int
}

func (f *fetcher) Height() int { return tileHeight }

func (f *fetcher) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		data, w, err := f.fetchTile(t)
		if err != nil {
			return nil, err
		}
		if len(data) != w*tlog.HashSize {
			return nil, fmt.Errorf("%s is %d bytes, want %d", c2spPath(t), len(data),
				w*tlog.HashSize)
		}
		out[i] = data[:t.W*tlog.HashSize]
	}
	return out, nil
}

func (f *fetcher) SaveTiles([]tlog.Tile, [][]byte) {}

// fetchTile fetches tile t or, where a partial tile is gone, the full tile that replaced it
// (tlog-tiles lets logs delete partial tiles then). It returns the data and the width of the
// tile it got.
func (f *fetcher) fetchTile(t tlog.Tile) ([]byte, int, error) {
	data, err := f.get(c2spPath(t), "application/octet-stream")
	if errors.Is(err, errNotFound) && t.W < 1<<tileHeight {
		t.W = 1 << tileHeight
		data, err = f.get(c2spPath(t), "application/octet-stream")
	}
	return data, t.W, err
}

// bundle fetches entry bundle b of a tree of size n and splits it into its entries.
func (f *fetcher) bundle(b, n int64) ([][]byte, error) {
	w := n - b<<tileHeight
	if w > 1<<tileHeight {
		w = 1 << tileHeight
	}
	t := tlog.Tile{H: tileHeight, L: -1, N: b, W: int(w)}
	data, got, err := f.fetchTile(t)
	if err != nil {
		return nil, err
	}
	var entries [][]byte
	for rest := data; len(rest) > 0; {
		if len(rest) < 2 || len(rest) < 2+int(binary.BigEndian.Uint16(rest)) {
			return nil, fmt.Errorf("%s: entry %d runs past the end of the bundle", c2spPath(t),
				len(entries))
		}
		size := int(binary.BigEndian.Uint16(rest))
		entries = append(entries, rest[2:2+size])
		rest = rest[2+size:]
	}
	if len(entries) != got {
		return nil, fmt.Errorf("%s holds %d entries, want %d", c2spPath(t), len(entries), got)
	}
	return entries[:t.W], nil
}

// c2spPath maps tlog's tile path "tile/8/L/N[.p/W]" (level "data" for entries) to the C2SP
// tlog-tiles path "tile/L/N[.p/W]" (level "entries"), which has no height element.
func c2spPath(t tlog.Tile) string {
	if t.H != tileHeight {
		panic(fmt.Sprintf("tile of height %d", t.H))
	}
	p := strings.TrimPrefix(t.Path(), "tile/8/")
	if t.L == -1 {
		p = "entries/" + strings.TrimPrefix(p, "data/")
	}
	return "tile/" + p
}

var errNotFound = errors.New("not found")

func (f *fetcher) get(path, contentType string) ([]byte, error) {
	if data, ok := f.cache[path]; ok {
		return data, nil
	}
	url := f.prefix + path
	resp, err := f.client.Get(url)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("GET %s: %v", url, err)
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, fmt.Errorf("GET %s: %w", url, errNotFound)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", url, resp.Status, bytes.TrimSpace(data))
	}
	if got := resp.Header.Get("Content-Type"); !sameMediaType(got, contentType) {
		return nil, fmt.Errorf("GET %s: Content-Type %q, tlog-tiles wants %q", url, got, contentType)
	}
	f.cache[path] = data
	f.fetched++
	return data, nil
}

// sameMediaType compares media types and their parameters as HTTP does: case-insensitively.
func sameMediaType(got, want string) bool {
	gt, gp, err := mime.ParseMediaType(got)
	wt, wp, _ := mime.ParseMediaType(want)
	if err != nil || gt != wt || len(gp) != len(wp) {
		return false
	}
	for k, v := range wp {
		if !strings.EqualFold(gp[k], v) {
			return false
		}
	}
	return true
}
