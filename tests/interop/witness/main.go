// Command witness speaks c2sp.org/tlog-witness from outside rekap, written against the spec with
// Go's golang.org/x/mod/sumdb/note and tlog, in three roles:
//
//	witness vkeys                      print the test log's and the test witness's verifier keys
//	witness log -url U -wvkey K        a log that is not rekap's pushes its checkpoints to a
//	                                   witness (rekap witness serve) at U and checks every answer
//	witness serve -listen A -logvkey K a witness that rekap serve pushes to; GET /stats counts
//	                                   (-distrust ORIGIN: it has another key for that origin)
//	witness check -url U -logvkey K -wvkey K...
//	                                   the log at U serves a checkpoint that note.Open verifies
//	                                   with the log's key and every witness key given
//
// Cosignatures (cosignature/v1, key type 0x04) are checked by a note.Verifier written here from
// tlog-cosignature: Go's note package knows only Ed25519 note signatures.
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const (
	logName     = "interop.example/go-log"
	witnessName = "interop.example/go-witness"
	algCosign   = 0x04
)

func seeded(label string) ed25519.PrivateKey {
	seed := sha256.Sum256([]byte(label))
	return ed25519.NewKeyFromSeed(seed[:])
}

func keyHash(name string, key []byte) uint32 {
	h := sha256.New()
	h.Write([]byte(name))
	h.Write([]byte("\n"))
	h.Write(key)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// cosignVkey is a witness verifier key: <name>+<key hash>+base64(0x04 || public key).
func cosignVkey(name string, pub ed25519.PublicKey) string {
	key := append([]byte{algCosign}, pub...)
	return fmt.Sprintf("%s+%08x+%s", name, keyHash(name, key), base64.StdEncoding.EncodeToString(key))
}

// cosignVerifier verifies cosignature/v1 signatures: 8 bytes of big-endian timestamp, then
// Ed25519 over "cosignature/v1\ntime <timestamp>\n" and the checkpoint text.
type cosignVerifier struct {
	name string
	hash uint32
	pub  ed25519.PublicKey
	seen *uint64 // the timestamp of the last signature verified
}

func parseCosignVkey(vkey string) (*cosignVerifier, error) {
	parts := strings.SplitN(vkey, "+", 3)
	if len(parts) != 3 {
		return nil, fmt.Errorf("not a verifier key: %q", vkey)
	}
	key, err := base64.StdEncoding.DecodeString(parts[2])
	if err != nil || len(key) != 33 || key[0] != algCosign {
		return nil, fmt.Errorf("not a cosignature/v1 key: %q", vkey)
	}
	hash, err := strconv.ParseUint(parts[1], 16, 32)
	if err != nil || uint32(hash) != keyHash(parts[0], key) {
		return nil, fmt.Errorf("key hash mismatch in %q", vkey)
	}
	return &cosignVerifier{parts[0], uint32(hash), ed25519.PublicKey(key[1:]), new(uint64)}, nil
}

func (v *cosignVerifier) Name() string    { return v.name }
func (v *cosignVerifier) KeyHash() uint32 { return v.hash }
func (v *cosignVerifier) Verify(msg, sig []byte) bool {
	if len(sig) != 8+ed25519.SignatureSize {
		return false
	}
	t := binary.BigEndian.Uint64(sig)
	if t == 0 || t >= 1<<63 {
		return false
	}
	signed := append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), msg...)
	if !ed25519.Verify(v.pub, signed, sig[8:]) {
		return false
	}
	*v.seen = t
	return true
}

// cosignLine is this witness's signature line over a checkpoint text.
func cosignLine(text string, name string, priv ed25519.PrivateKey) string {
	t := uint64(time.Now().Unix())
	sig := make([]byte, 8, 8+ed25519.SignatureSize)
	binary.BigEndian.PutUint64(sig, t)
	sig = append(sig, ed25519.Sign(priv, append([]byte(fmt.Sprintf("cosignature/v1\ntime %d\n", t)), text...))...)
	hash := keyHash(name, append([]byte{algCosign}, priv.Public().(ed25519.PublicKey)...))
	id := make([]byte, 4)
	binary.BigEndian.PutUint32(id, hash)
	return fmt.Sprintf("— %s %s\n", name, base64.StdEncoding.EncodeToString(append(id, sig...)))
}

func noteSigner(name string, priv ed25519.PrivateKey) note.Signer {
	skey := "PRIVATE+KEY+" + name + "+" + fmt.Sprintf("%08x", keyHash(name, append([]byte{1}, priv.Public().(ed25519.PublicKey)...))) +
		"+" + base64.StdEncoding.EncodeToString(append([]byte{1}, priv.Seed()...))
	s, err := note.NewSigner(skey)
	if err != nil {
		panic(err)
	}
	return s
}

func noteVkey(name string, priv ed25519.PrivateKey) string {
	v, err := note.NewEd25519VerifierKey(name, priv.Public().(ed25519.PublicKey))
	if err != nil {
		panic(err)
	}
	return v
}

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "witness: FAIL: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: witness vkeys|log|serve|check ...")
	}
	switch os.Args[1] {
	case "vkeys":
		fmt.Println(noteVkey(logName, seeded("go log")))
		fmt.Println(cosignVkey(witnessName, seeded("go witness").Public().(ed25519.PublicKey)))
	case "log":
		runLog(os.Args[2:])
	case "serve":
		runServe(os.Args[2:])
	case "check":
		runCheck(os.Args[2:])
	default:
		fail("unknown role %q", os.Args[1])
	}
}

// ---- a log that is not rekap's ----

type memLog struct {
	hashes []tlog.Hash
	n      int64
}

func (l *memLog) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x >= int64(len(l.hashes)) {
			return nil, errors.New("no such hash")
		}
		out[i] = l.hashes[x]
	}
	return out, nil
}

func (l *memLog) grow(to int64) {
	for l.n < to {
		h, err := tlog.StoredHashes(l.n, []byte(fmt.Sprintf("go record %d\n", l.n)), l)
		if err != nil {
			panic(err)
		}
		l.hashes = append(l.hashes, h...)
		l.n++
	}
}

func (l *memLog) root(n int64) tlog.Hash {
	h, err := tlog.TreeHash(n, l)
	if err != nil {
		panic(err)
	}
	return h
}

func (l *memLog) checkpoint(origin string, n int64, signer note.Signer) string {
	root := l.root(n)
	text := fmt.Sprintf("%s\n%d\n%s\n", origin, n, base64.StdEncoding.EncodeToString(root[:]))
	msg, err := note.Sign(&note.Note{Text: text}, signer)
	if err != nil {
		panic(err)
	}
	return string(msg)
}

func (l *memLog) proof(old, n int64) []tlog.Hash {
	if old == 0 || old == n {
		return nil
	}
	p, err := tlog.ProveTree(n, old, l)
	if err != nil {
		panic(err)
	}
	return p
}

func body(old int64, proof []tlog.Hash, checkpoint string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "old %d\n", old)
	for _, h := range proof {
		b.WriteString(base64.StdEncoding.EncodeToString(h[:]) + "\n")
	}
	return b.String() + "\n" + checkpoint
}

type answer struct {
	status      int
	contentType string
	body        string
}

func post(url, b string) answer {
	res, err := http.Post(url, "text/plain", strings.NewReader(b))
	if err != nil {
		fail("POST %s: %v", url, err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	return answer{res.StatusCode, res.Header.Get("Content-Type"), string(data)}
}

func runLog(args []string) {
	fs := flag.NewFlagSet("log", flag.ExitOnError)
	url := fs.String("url", "", "the witness's submission prefix")
	wvkey := fs.String("wvkey", "", "the witness's verifier key")
	fs.Parse(args)
	witness, err := parseCosignVkey(*wvkey)
	if err != nil {
		fail("%v", err)
	}
	endpoint := strings.TrimSuffix(*url, "/") + "/add-checkpoint"
	priv := seeded("go log")
	signer := noteSigner(logName, priv)
	logVerifier, err := note.NewVerifier(noteVkey(logName, priv))
	if err != nil {
		fail("%v", err)
	}
	l := &memLog{}
	l.grow(300)
	checks := 0
	expect := func(what string, a answer, status int) {
		checks++
		if a.status != status {
			fail("%s: HTTP %d %q, want %d", what, a.status, a.body, status)
		}
		fmt.Printf("witness: %s: %d\n", what, status)
	}
	// cosigned checks the 200 answer: with the checkpoint, a note that note.Open verifies with
	// the log's key and the witness's.
	cosigned := func(cp string, a answer) {
		n, err := note.Open([]byte(cp+a.body), note.VerifierList(logVerifier, witness))
		if err != nil {
			fail("note.Open of the cosigned checkpoint: %v\n%s%s", err, cp, a.body)
		}
		if len(n.Sigs) != 2 || n.Sigs[1].Name != witness.Name() {
			fail("the cosigned note has signatures %v", n.Sigs)
		}
		if now := uint64(time.Now().Unix()); *witness.seen == 0 || *witness.seen > now+5 || *witness.seen+300 < now {
			fail("the cosignature's timestamp %d is not now (%d)", *witness.seen, now)
		}
	}

	cp5 := l.checkpoint(logName, 5, signer)
	a := post(endpoint, body(0, nil, cp5))
	expect("first checkpoint, old 0", a, 200)
	cosigned(cp5, a)
	cp300 := l.checkpoint(logName, 300, signer)
	a = post(endpoint, body(5, l.proof(5, 300), cp300))
	expect("extension 5 -> 300 with tlog.ProveTree's proof", a, 200)
	cosigned(cp300, a)

	// Every refusal of the spec; none may change what the witness holds (300, checked last).
	cp400 := func() string { l.grow(400); return l.checkpoint(logName, 400, signer) }()
	expect("malformed body", post(endpoint, "old 300\nnot base64!\n\n"+cp400), 400)
	expect("no empty line", post(endpoint, "old 300\n"+cp400), 400)
	expect("old size above the checkpoint's", post(endpoint, body(500, nil, cp400)), 400)
	other := noteSigner(logName, seeded("impostor"))
	expect("signed by another key", post(endpoint, body(300, l.proof(300, 400), l.checkpoint(logName, 400, other))), 403)
	unknown := noteSigner("interop.example/unknown", priv)
	expect("unknown origin", post(endpoint, body(300, l.proof(300, 400), l.checkpoint("interop.example/unknown", 400, unknown))), 404)
	a = post(endpoint, body(5, l.proof(5, 400), cp400))
	expect("stale old size", a, 409)
	if a.contentType != "text/x.tlog.size" || a.body != "300\n" {
		fail("409 answered %q with %q, want text/x.tlog.size and \"300\\n\"", a.contentType, a.body)
	}
	fork := &memLog{}
	for fork.n < 300 {
		h, err := tlog.StoredHashes(fork.n, []byte(fmt.Sprintf("forked record %d\n", fork.n)), fork)
		if err != nil {
			panic(err)
		}
		fork.hashes = append(fork.hashes, h...)
		fork.n++
	}
	a = post(endpoint, body(300, nil, fork.checkpoint(logName, 300, signer)))
	expect("same size, another root", a, 409)
	bad := l.proof(300, 400)
	bad[0][0] ^= 1
	expect("consistency proof that does not verify", post(endpoint, body(300, bad, cp400)), 422)
	expect("consistency proof too short", post(endpoint, body(300, l.proof(300, 400)[1:], cp400)), 422)
	expect("oversized body", post(endpoint, "old 300\n\n"+cp400+strings.Repeat("x", 1<<20)), 413)

	a = post(endpoint, body(300, l.proof(300, 400), cp400))
	expect("extension 300 -> 400 after the refusals", a, 200)
	cosigned(cp400, a)
	fmt.Printf("witness: log: OK: %d answers as the spec says\n", checks)
}

// ---- a witness that is not rekap's ----

type state struct {
	size int64
	root tlog.Hash
}

type goWitness struct {
	mu        sync.Mutex
	verifiers map[string]note.Verifier // by origin: each log's key name is its origin here
	name      string
	priv      ed25519.PrivateKey
	logs      map[string]state
	cosigned  int
	conflicts int
	refused   int
}

func (w *goWitness) addCheckpoint(rw http.ResponseWriter, r *http.Request) {
	refuse := func(status int, why string) {
		w.refused++
		http.Error(rw, why, status)
	}
	if r.Method != http.MethodPost {
		http.Error(rw, "POST only", http.StatusMethodNotAllowed)
		return
	}
	data, err := io.ReadAll(http.MaxBytesReader(rw, r.Body, 64<<10))
	w.mu.Lock()
	defer w.mu.Unlock()
	if err != nil {
		refuse(http.StatusRequestEntityTooLarge, "too large")
		return
	}
	head, cp, ok := bytes.Cut(data, []byte("\n\n"))
	if !ok {
		refuse(http.StatusBadRequest, "no empty line")
		return
	}
	lines := strings.Split(string(head), "\n")
	if !strings.HasPrefix(lines[0], "old ") {
		refuse(http.StatusBadRequest, "no old line")
		return
	}
	old, err := strconv.ParseInt(strings.TrimPrefix(lines[0], "old "), 10, 64)
	if err != nil || old < 0 {
		refuse(http.StatusBadRequest, "bad old size")
		return
	}
	var proof tlog.TreeProof
	for _, line := range lines[1:] {
		h, err := tlog.ParseHash(line)
		if err != nil {
			refuse(http.StatusBadRequest, "bad proof line")
			return
		}
		proof = append(proof, h)
	}
	// The origin first (404), then the log's signature (403), as the spec orders them.
	origin, _, _ := strings.Cut(string(cp), "\n")
	verifier, known := w.verifiers[origin]
	if !known {
		refuse(http.StatusNotFound, "unknown origin")
		return
	}
	n, err := note.Open(cp, note.VerifierList(verifier))
	if err != nil {
		var unverified *note.UnverifiedNoteError
		if errors.As(err, &unverified) {
			refuse(http.StatusForbidden, "not signed by the log")
		} else {
			refuse(http.StatusBadRequest, "not a note")
		}
		return
	}
	tree, err := parseCheckpoint(n.Text)
	if err != nil {
		refuse(http.StatusBadRequest, err.Error())
		return
	}
	if old > tree.N {
		refuse(http.StatusBadRequest, "old size above the checkpoint's")
		return
	}
	held := w.logs[origin]
	if old != held.size || (old == tree.N && held.root != tree.Hash) {
		w.conflicts++
		rw.Header().Set("Content-Type", "text/x.tlog.size")
		rw.WriteHeader(http.StatusConflict)
		fmt.Fprintf(rw, "%d\n", held.size)
		return
	}
	if old > 0 && old < tree.N {
		if err := tlog.CheckTree(proof, tree.N, tree.Hash, old, held.root); err != nil {
			refuse(http.StatusUnprocessableEntity, "bad proof")
			return
		}
	} else if len(proof) != 0 {
		refuse(http.StatusUnprocessableEntity, "a proof where none is due")
		return
	}
	w.logs[origin] = state{tree.N, tree.Hash}
	w.cosigned++
	rw.Header().Set("Content-Type", "text/plain; charset=utf-8")
	io.WriteString(rw, cosignLine(n.Text, w.name, w.priv))
}

// parseCheckpoint reads a tlog-checkpoint's size and root (tlog.ParseTree reads only sumdb's).
func parseCheckpoint(text string) (tlog.Tree, error) {
	lines := strings.Split(text, "\n")
	if len(lines) < 4 {
		return tlog.Tree{}, errors.New("not a checkpoint")
	}
	n, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || n < 0 {
		return tlog.Tree{}, errors.New("bad checkpoint size")
	}
	h, err := tlog.ParseHash(lines[2])
	if err != nil {
		return tlog.Tree{}, errors.New("bad checkpoint root")
	}
	return tlog.Tree{N: n, Hash: h}, nil
}

func (w *goWitness) stats(rw http.ResponseWriter, r *http.Request) {
	w.mu.Lock()
	defer w.mu.Unlock()
	fmt.Fprintf(rw, "cosigned %d conflicts %d refused %d\n", w.cosigned, w.conflicts, w.refused)
}

func runServe(args []string) {
	fs := flag.NewFlagSet("serve", flag.ExitOnError)
	listen := fs.String("listen", "127.0.0.1:0", "address to listen on")
	name := fs.String("name", witnessName, "the witness's name")
	seed := fs.String("seed", "go witness", "what its key is made from")
	var logvkeys, distrust multi
	fs.Var(&logvkeys, "logvkey", "a log's verifier key, whose name is its origin (repeatable)")
	fs.Var(&distrust, "distrust", "an origin it knows with another key than the log's (repeatable)")
	fs.Parse(args)
	priv := seeded(*seed)
	w := &goWitness{verifiers: map[string]note.Verifier{}, name: *name, priv: priv, logs: map[string]state{}}
	for _, k := range logvkeys {
		v, err := note.NewVerifier(k)
		if err != nil {
			fail("%v", err)
		}
		w.verifiers[v.Name()] = v
	}
	for _, origin := range distrust {
		v, err := note.NewVerifier(noteVkey(origin, seeded("not the log's key")))
		if err != nil {
			fail("%v", err)
		}
		w.verifiers[origin] = v
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fail("%v", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/go-witness/add-checkpoint", w.addCheckpoint)
	mux.HandleFunc("/stats", w.stats)
	fmt.Printf("go witness %s at http://%s/go-witness\n", cosignVkey(*name, priv.Public().(ed25519.PublicKey)), ln.Addr())
	os.Stdout.Sync()
	fail("%v", http.Serve(ln, mux))
}

// ---- what a log serves, checked with Go's note package ----

func runCheck(args []string) {
	fs := flag.NewFlagSet("check", flag.ExitOnError)
	url := fs.String("url", "", "the log's URL")
	logvkey := fs.String("logvkey", "", "the log's verifier key")
	var wvkeys multi
	fs.Var(&wvkeys, "wvkey", "a witness's verifier key (repeatable)")
	fs.Parse(args)
	lv, err := note.NewVerifier(*logvkey)
	if err != nil {
		fail("%v", err)
	}
	verifiers := []note.Verifier{lv}
	for _, k := range wvkeys {
		v, err := parseCosignVkey(k)
		if err != nil {
			fail("%v", err)
		}
		verifiers = append(verifiers, v)
	}
	res, err := http.Get(strings.TrimSuffix(*url, "/") + "/log/checkpoint")
	if err != nil {
		fail("%v", err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 {
		fail("GET /log/checkpoint: HTTP %d %s", res.StatusCode, data)
	}
	n, err := note.Open(data, note.VerifierList(verifiers...))
	if err != nil {
		fail("note.Open: %v\n%s", err, data)
	}
	if len(n.Sigs) != len(verifiers) {
		fail("%d of %d signatures verified:\n%s", len(n.Sigs), len(verifiers), data)
	}
	fmt.Printf("witness: check: the checkpoint of size %s verifies with the log's key and %d witnesses\n",
		strings.Split(n.Text, "\n")[1], len(wvkeys))
}

type multi []string

func (m *multi) String() string     { return strings.Join(*m, ",") }
func (m *multi) Set(s string) error { *m = append(*m, s); return nil }
