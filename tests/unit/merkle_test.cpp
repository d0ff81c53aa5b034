// The log's Merkle tree against the published RFC 6962 test vectors (the eight test leaves used
// by certificate-transparency and transparency-dev/merkle), against RFC 6962's recursive
// definition for many sizes, and across the tile boundaries where stored hashes change level.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <random>
#include <stdexcept>
#include <string>

#include "crypto/encoding.hpp"
#include "log/merkle.hpp"

namespace rekap::tlog {
namespace {

Hash32 h(std::string_view hex) {
  Hash32 out{};
  if (!from_hex(hex, out)) throw std::invalid_argument("bad hex in test");
  return out;
}

std::string bytes(std::string_view hex) {
  // from_hex hands libsodium the output's data(), which is null for an empty vector.
  if (hex.empty()) return "";
  std::vector<std::uint8_t> out(hex.size() / 2);
  if (!from_hex(hex, out)) throw std::invalid_argument("bad hex in test");
  return {out.begin(), out.end()};
}

// RFC 6962 section 2.1.3 test leaves and the roots of the trees of their first 1..8.
const std::vector<std::string>& test_leaves() {
  static const std::vector<std::string> leaves = {
      bytes(""),
      bytes("00"),
      bytes("10"),
      bytes("2021"),
      bytes("3031"),
      bytes("40414243"),
      bytes("5051525354555657"),
      bytes("606162636465666768696a6b6c6d6e6f"),
  };
  return leaves;
}

const std::vector<Hash32>& test_roots() {
  static const std::vector<Hash32> roots = {
      h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
      h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"),
      h("aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77"),
      h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"),
      h("4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4"),
      h("76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef"),
      h("ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c"),
      h("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"),
  };
  return roots;
}

const Hash32 kEmptyRoot = h("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
const Hash32 kSomeHash = h("abacaba000000000000000000000000000000000000000000060061e00123456");

MemoryHashReader reader_of(const std::vector<Hash32>& leaves) {
  MemoryHashReader r;
  for (const Hash32& l : leaves) r.append(l);
  return r;
}

std::vector<Hash32> test_leaf_hashes() {
  std::vector<Hash32> out;
  for (const std::string& e : test_leaves()) out.push_back(leaf_hash(e));
  return out;
}

// MTH straight from RFC 6962's recursive definition: the reference for everything computed
// from stored hashes.
Hash32 reference_mth(std::span<const Hash32> leaves) {
  if (leaves.empty()) return sha256("");
  if (leaves.size() == 1) return leaves[0];
  std::size_t k = std::bit_floor(leaves.size() - 1);
  return node_hash(reference_mth(leaves.first(k)), reference_mth(leaves.subspan(k)));
}

std::vector<Hash32> random_leaves(std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Hash32> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(leaf_hash(std::to_string(rng())));
  return out;
}

constexpr std::uint64_t kBig = 70000;

const std::vector<Hash32>& big_leaves() {
  static const std::vector<Hash32> leaves = random_leaves(kBig, 70000);
  return leaves;
}

MemoryHashReader& big_reader() {
  static MemoryHashReader reader = reader_of(big_leaves());
  return reader;
}

// Records every read, to check how much a computation asks of storage.
class CountingReader : public HashReader {
 public:
  explicit CountingReader(HashReader& inner) : inner_(inner) {}
  std::vector<Hash32> read(int tile_level, std::uint64_t first, std::uint64_t count) override {
    reads.push_back(count);
    return inner_.read(tile_level, first, count);
  }
  std::vector<std::uint64_t> reads;

 private:
  HashReader& inner_;
};

Hash32 flip(Hash32 x, int bit) {
  x[0] ^= static_cast<std::uint8_t>(1 << bit);
  return x;
}

std::vector<Hash32> with_front(std::vector<Hash32> p, const Hash32& x) {
  p.insert(p.begin(), x);
  return p;
}

std::vector<Hash32> with_back(std::vector<Hash32> p, const Hash32& x) {
  p.push_back(x);
  return p;
}

// The probes of transparency-dev/merkle's verifier tests: every one must fail. Returns the names
// of those that verified.
std::vector<std::string> accepted_inclusion_probes(const Hash32& leaf, std::uint64_t index,
                                                   std::uint64_t size,
                                                   const std::vector<Hash32>& proof,
                                                   const Hash32& root) {
  std::vector<std::string> accepted;
  auto probe = [&](const std::string& what, const Hash32& l, std::uint64_t i, std::uint64_t s,
                   const std::vector<Hash32>& p, const Hash32& r) {
    if (verify_inclusion(l, i, s, p, r)) accepted.push_back(what);
  };
  probe("index - 1", leaf, index - 1, size, proof, root);
  probe("index + 1", leaf, index + 1, size, proof, root);
  probe("index ^ 2", leaf, index ^ 2, size, proof, root);
  probe("size * 2", leaf, index, size * 2, proof, root);
  probe("size / 2", leaf, index, size / 2, proof, root);
  probe("wrong leaf", leaf_hash("WrongLeaf"), index, size, proof, root);
  probe("empty root", leaf, index, size, proof, kEmptyRoot);
  probe("random root", leaf, index, size, proof, kSomeHash);
  probe("trailing garbage", leaf, index, size, with_back(proof, kSomeHash), root);
  probe("trailing root", leaf, index, size, with_back(proof, root), root);
  probe("preceding garbage", leaf, index, size, with_front(proof, kSomeHash), root);
  probe("preceding root", leaf, index, size, with_front(proof, root), root);
  for (std::size_t i = 0; i < proof.size(); ++i) {
    std::vector<Hash32> p = proof;
    p[i] = flip(p[i], 3);
    probe("flipped proof[" + std::to_string(i) + "]", leaf, index, size, p, root);
  }
  if (!proof.empty()) {
    probe("removed last", leaf, index, size, {proof.begin(), proof.end() - 1}, root);
  }
  if (proof.size() > 1) {
    std::vector<Hash32> p = proof;
    p.insert(p.begin() + 1, kSomeHash);
    probe("inserted component", leaf, index, size, p, root);
  }
  return accepted;
}

std::vector<std::string> accepted_consistency_probes(std::uint64_t m, std::uint64_t n,
                                                     const Hash32& root1, const Hash32& root2,
                                                     const std::vector<Hash32>& proof) {
  std::vector<std::string> accepted;
  auto probe = [&](const std::string& what, std::uint64_t s1, std::uint64_t s2, const Hash32& r1,
                   const Hash32& r2, const std::vector<Hash32>& p) {
    if (verify_consistency(s1, s2, r1, r2, p)) accepted.push_back(what);
  };
  probe("size1 - 1", m - 1, n, root1, root2, proof);
  probe("size1 + 1", m + 1, n, root1, root2, proof);
  probe("size1 ^ 2", m ^ 2, n, root1, root2, proof);
  probe("size2 * 2", m, n * 2, root1, root2, proof);
  probe("size2 / 2", m, n / 2, root1, root2, proof);
  probe("wrong root1", m, n, kSomeHash, root2, proof);
  probe("wrong root2", m, n, root1, kSomeHash, proof);
  probe("swapped roots", m, n, root2, root1, proof);
  probe("empty proof", m, n, root1, root2, {});
  probe("trailing garbage", m, n, root1, root2, with_back(proof, kSomeHash));
  probe("trailing root1", m, n, root1, root2, with_back(proof, root1));
  probe("trailing root2", m, n, root1, root2, with_back(proof, root2));
  probe("preceding garbage", m, n, root1, root2, with_front(proof, kSomeHash));
  probe("preceding root1", m, n, root1, root2, with_front(proof, root1));
  probe("preceding root2", m, n, root1, root2, with_front(proof, root2));
  probe("preceding proof[0]", m, n, root1, root2, with_front(proof, proof.at(0)));
  probe("truncated", m, n, root1, root2, {proof.begin(), proof.end() - 1});
  for (std::size_t i = 0; i < proof.size(); ++i) {
    std::vector<Hash32> p = proof;
    p[i] = flip(p[i], 4);
    probe("flipped proof[" + std::to_string(i) + "]", m, n, root1, root2, p);
  }
  return accepted;
}

TEST(Merkle, HashPrefixesAndEmptyTree) {
  crypto_init();
  EXPECT_EQ(leaf_hash("abc"), sha256(std::string("\x00", 1) + "abc"));
  Hash32 l = leaf_hash("l");
  Hash32 r = leaf_hash("r");
  EXPECT_EQ(node_hash(l, r),
            sha256("\x01" + std::string(l.begin(), l.end()) + std::string(r.begin(), r.end())));
  MemoryHashReader empty;
  EXPECT_EQ(empty.size(), 0u);
  EXPECT_EQ(tree_root(empty, 0), kEmptyRoot);
  EXPECT_EQ(Frontier().root(), kEmptyRoot);
  EXPECT_EQ(range_hash(big_reader(), 5, 5), kEmptyRoot);
}

TEST(Merkle, PublishedRootsForSizes1To8) {
  crypto_init();
  MemoryHashReader reader = reader_of(test_leaf_hashes());
  Frontier frontier;
  std::vector<StoredNode> completed;
  for (std::uint64_t size = 1; size <= 8; ++size) {
    frontier.append(leaf_hash(test_leaves()[size - 1]), completed);
    EXPECT_EQ(tree_root(reader, size), test_roots()[size - 1]) << size;
    EXPECT_EQ(frontier.root(), test_roots()[size - 1]) << size;
  }
  EXPECT_TRUE(completed.empty());  // nothing of 256 leaves yet
}

struct KnownInclusion {
  std::uint64_t index;
  std::uint64_t size;
  std::vector<Hash32> proof;
};

std::vector<KnownInclusion> known_inclusions() {
  return {
      {0, 1, {}},
      {0,
       8,
       {h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
      {5,
       8,
       {h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
      {2, 3, {h("fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125")}},
      {1,
       5,
       {h("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
  };
}

TEST(Merkle, PublishedInclusionProofs) {
  crypto_init();
  MemoryHashReader reader = reader_of(test_leaf_hashes());
  for (const KnownInclusion& k : known_inclusions()) {
    SCOPED_TRACE("index " + std::to_string(k.index) + " size " + std::to_string(k.size));
    EXPECT_EQ(inclusion_proof(reader, k.index, k.size), k.proof);
    Hash32 leaf = leaf_hash(test_leaves()[k.index]);
    const Hash32& root = test_roots()[k.size - 1];
    EXPECT_TRUE(verify_inclusion(leaf, k.index, k.size, k.proof, root));
    EXPECT_EQ(accepted_inclusion_probes(leaf, k.index, k.size, k.proof, root),
              std::vector<std::string>{});
  }
}

struct KnownConsistency {
  std::uint64_t old_size;
  std::uint64_t new_size;
  std::vector<Hash32> proof;
};

std::vector<KnownConsistency> known_consistencies() {
  return {
      {1, 1, {}},
      {1,
       8,
       {h("96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7"),
        h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4")}},
      {6,
       8,
       {h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
      {2,
       5,
       {h("5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e"),
        h("bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b")}},
      {6,
       7,
       {h("0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a"),
        h("b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f"),
        h("d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7")}},
  };
}

TEST(Merkle, PublishedConsistencyProofs) {
  crypto_init();
  MemoryHashReader reader = reader_of(test_leaf_hashes());
  for (const KnownConsistency& k : known_consistencies()) {
    SCOPED_TRACE(std::to_string(k.old_size) + " -> " + std::to_string(k.new_size));
    EXPECT_EQ(consistency_proof(reader, k.old_size, k.new_size), k.proof);
    const Hash32& root1 = test_roots()[k.old_size - 1];
    const Hash32& root2 = test_roots()[k.new_size - 1];
    EXPECT_TRUE(verify_consistency(k.old_size, k.new_size, root1, root2, k.proof));
    if (!k.proof.empty()) {
      EXPECT_EQ(accepted_consistency_probes(k.old_size, k.new_size, root1, root2, k.proof),
                std::vector<std::string>{});
    }
  }
}

// The node-by-node shapes that transparency-dev/merkle's proof tests spell out, with the names
// of their picture of a 7-leaf tree: g = MTH[0:2], h = MTH[2:4], i = MTH[4:6], k = MTH[0:4],
// l = MTH[4:7], and j the 7th leaf.
TEST(Merkle, ProofShapesFromTheLiterature) {
  crypto_init();
  std::vector<Hash32> leaves = random_leaves(8, 7);
  MemoryHashReader reader = reader_of(leaves);
  auto leaf = [&](int i) { return leaves[i]; };
  auto span = [&](std::uint64_t b, std::uint64_t e) {
    return reference_mth(std::span<const Hash32>(leaves).subspan(b, e - b));
  };
  Hash32 g = span(0, 2), hh = span(2, 4), i = span(4, 6), k = span(0, 4), l = span(4, 7);
  EXPECT_EQ(inclusion_proof(reader, 0, 7), (std::vector<Hash32>{leaf(1), hh, l}));
  EXPECT_EQ(inclusion_proof(reader, 2, 7), (std::vector<Hash32>{leaf(3), g, l}));
  EXPECT_EQ(inclusion_proof(reader, 4, 7), (std::vector<Hash32>{leaf(5), leaf(6), k}));
  EXPECT_EQ(inclusion_proof(reader, 6, 7), (std::vector<Hash32>{i, k}));
  EXPECT_EQ(inclusion_proof(reader, 3, 5), (std::vector<Hash32>{leaf(2), g, leaf(4)}));
  EXPECT_EQ(consistency_proof(reader, 1, 2), (std::vector<Hash32>{leaf(1)}));
  EXPECT_EQ(consistency_proof(reader, 2, 8), (std::vector<Hash32>{hh, span(4, 8)}));
  EXPECT_EQ(consistency_proof(reader, 3, 7), (std::vector<Hash32>{leaf(2), leaf(3), g, l}));
  EXPECT_EQ(consistency_proof(reader, 4, 7), (std::vector<Hash32>{l}));
  EXPECT_EQ(consistency_proof(reader, 5, 7), (std::vector<Hash32>{leaf(4), leaf(5), leaf(6), k}));
  EXPECT_EQ(consistency_proof(reader, 6, 7), (std::vector<Hash32>{i, leaf(6), k}));
  EXPECT_EQ(consistency_proof(reader, 7, 8), (std::vector<Hash32>{leaf(6), leaf(7), i, k}));
}

TEST(Merkle, TrivialAndMalformedConsistency) {
  crypto_init();
  Hash32 a = leaf_hash("a");
  Hash32 b = leaf_hash("b");
  EXPECT_TRUE(verify_consistency(0, 0, kEmptyRoot, kEmptyRoot, {}));
  EXPECT_TRUE(verify_consistency(0, 5, kEmptyRoot, b, {}));
  EXPECT_TRUE(verify_consistency(1, 1, a, a, {}));
  EXPECT_FALSE(verify_consistency(0, 5, a, b, {}));  // a tree of size 0 has only one root
  EXPECT_FALSE(verify_consistency(0, 0, a, b, {}));
  EXPECT_FALSE(verify_consistency(1, 1, a, b, {}));
  EXPECT_FALSE(verify_consistency(1, 1, a, a, std::vector<Hash32>{a}));
  EXPECT_FALSE(verify_consistency(0, 1, kEmptyRoot, a, std::vector<Hash32>{kEmptyRoot}));
  EXPECT_FALSE(verify_consistency(1, 0, a, kEmptyRoot, {}));
  EXPECT_FALSE(verify_consistency(2, 1, a, b, {}));
  EXPECT_FALSE(verify_consistency(1, 2, a, node_hash(a, b), {}));
  EXPECT_TRUE(verify_consistency(1, 2, a, node_hash(a, b), std::vector<Hash32>{b}));
}

TEST(Merkle, TrivialAndMalformedInclusion) {
  crypto_init();
  Hash32 a = leaf_hash("a");
  EXPECT_TRUE(verify_inclusion(a, 0, 1, {}, a));
  EXPECT_FALSE(verify_inclusion(a, 0, 1, {}, kEmptyRoot));
  EXPECT_FALSE(verify_inclusion(a, 0, 0, {}, a));
  EXPECT_FALSE(verify_inclusion(a, 1, 1, {}, a));
  EXPECT_FALSE(verify_inclusion(a, 2, 1, {}, a));
  EXPECT_FALSE(verify_inclusion(a, 0, 1, std::vector<Hash32>{a}, a));
}

TEST(Merkle, RefusesOutOfRangeArguments) {
  crypto_init();
  MemoryHashReader reader = reader_of(test_leaf_hashes());
  EXPECT_THROW(inclusion_proof(reader, 0, 0), std::invalid_argument);
  EXPECT_THROW(inclusion_proof(reader, 8, 8), std::invalid_argument);
  EXPECT_THROW(consistency_proof(reader, 5, 4), std::invalid_argument);
  EXPECT_THROW(range_hash(reader, 3, 2), std::invalid_argument);
  EXPECT_THROW(subtree_hash(reader, 64, 0), std::invalid_argument);
  EXPECT_THROW(subtree_hash(reader, -1, 0), std::invalid_argument);
  EXPECT_THROW(subtree_hash(reader, 63, 2), std::invalid_argument);
  EXPECT_THROW(Frontier(3, {leaf_hash("x")}), std::invalid_argument);
  // Past the stored leaves the reader refuses, and so does everything built on it.
  EXPECT_THROW(tree_root(reader, 9), std::out_of_range);
  EXPECT_THROW(inclusion_proof(reader, 0, 9), std::out_of_range);
  EXPECT_THROW(consistency_proof(reader, 3, 9), std::out_of_range);
  EXPECT_THROW(reader.read(1, 0, 1), std::out_of_range);
  EXPECT_THROW(reader.read(0, 7, 2), std::out_of_range);
  EXPECT_THROW(reader.read(-1, 0, 1), std::out_of_range);
}

// Every proof for every pair of sizes up to 70 verifies, against roots from RFC 6962's
// definition, and stops verifying when any element is changed.
TEST(Merkle, AllSizesUpTo70) {
  crypto_init();
  std::vector<Hash32> leaves = random_leaves(70, 70);
  MemoryHashReader reader = reader_of(leaves);
  std::vector<Hash32> roots(71);
  for (std::uint64_t n = 0; n <= 70; ++n) {
    roots[n] = reference_mth(std::span<const Hash32>(leaves).first(n));
    ASSERT_EQ(tree_root(reader, n), roots[n]) << n;
  }
  for (std::uint64_t n = 1; n <= 70; ++n) {
    for (std::uint64_t i = 0; i < n; ++i) {
      std::vector<Hash32> proof = inclusion_proof(reader, i, n);
      ASSERT_TRUE(verify_inclusion(leaves[i], i, n, proof, roots[n])) << i << " in " << n;
      if (n > 1) {
        EXPECT_FALSE(verify_inclusion(leaves[(i + 1) % n], i, n, proof, roots[n]));
        EXPECT_FALSE(verify_inclusion(leaves[i], (i + 1) % n, n, proof, roots[n]));
      }
      for (std::size_t j = 0; j < proof.size(); ++j) {
        std::vector<Hash32> bad = proof;
        bad[j] = flip(bad[j], 0);
        EXPECT_FALSE(verify_inclusion(leaves[i], i, n, bad, roots[n])) << i << " " << n;
      }
      EXPECT_FALSE(verify_inclusion(leaves[i], i, n, with_back(proof, kSomeHash), roots[n]));
    }
    for (std::uint64_t m = 0; m <= n; ++m) {
      std::vector<Hash32> proof = consistency_proof(reader, m, n);
      ASSERT_TRUE(verify_consistency(m, n, roots[m], roots[n], proof)) << m << " -> " << n;
      if (m == 0 || m == n) {
        EXPECT_TRUE(proof.empty());
        continue;
      }
      EXPECT_FALSE(verify_consistency(m, n, roots[m], roots[n], {}));
      EXPECT_FALSE(verify_consistency(m, n, roots[m], roots[n], with_back(proof, kSomeHash)));
      EXPECT_FALSE(verify_consistency(m, n, roots[m], roots[n], {proof.begin(), proof.end() - 1}));
      EXPECT_FALSE(verify_consistency(m, n, roots[n], roots[m], proof));
      for (std::size_t j = 0; j < proof.size(); ++j) {
        std::vector<Hash32> bad = proof;
        bad[j] = flip(bad[j], 0);
        EXPECT_FALSE(verify_consistency(m, n, roots[m], roots[n], bad)) << m << " -> " << n;
      }
    }
  }
}

// Sizes where the stored hashes a computation needs move from one tile level to the next.
TEST(Merkle, ProofsAcrossTileBoundaries) {
  crypto_init();
  const std::vector<Hash32>& leaves = big_leaves();
  MemoryHashReader& reader = big_reader();
  const std::vector<std::uint64_t> sizes = {1,   2,     255,   256,   257,   511,  512,
                                            513, 65535, 65536, 65537, 69999, 70000};
  const std::vector<std::uint64_t> kIndexes = {0,     1,     127,   254,   255,   256,  257,
                                               65534, 65535, 65536, 69887, 69888, 69999};
  std::vector<Hash32> roots;
  for (std::uint64_t n : sizes) {
    roots.push_back(reference_mth(std::span<const Hash32>(leaves).first(n)));
    ASSERT_EQ(tree_root(reader, n), roots.back()) << n;
  }
  for (std::size_t b = 0; b < sizes.size(); ++b) {
    std::uint64_t n = sizes[b];
    for (std::uint64_t i : kIndexes) {
      if (i >= n) continue;
      std::vector<Hash32> proof = inclusion_proof(reader, i, n);
      EXPECT_TRUE(verify_inclusion(leaves[i], i, n, proof, roots[b])) << i << " in " << n;
      EXPECT_FALSE(verify_inclusion(leaves[i], i, n, proof, roots[b == 0 ? 1 : b - 1]));
    }
    for (std::size_t a = 0; a <= b; ++a) {
      std::uint64_t m = sizes[a];
      std::vector<Hash32> proof = consistency_proof(reader, m, n);
      EXPECT_TRUE(verify_consistency(m, n, roots[a], roots[b], proof)) << m << " -> " << n;
      if (!proof.empty()) {
        proof.back() = flip(proof.back(), 7);
        EXPECT_FALSE(verify_consistency(m, n, roots[a], roots[b], proof)) << m << " -> " << n;
      }
    }
  }
}

// Stored hashes are what the tile levels promise: roots of complete subtrees of 256^k leaves.
TEST(Merkle, MemoryReaderTileLevels) {
  crypto_init();
  const std::vector<Hash32>& leaves = big_leaves();
  MemoryHashReader& reader = big_reader();
  EXPECT_EQ(reader.size(), kBig);
  EXPECT_EQ(reader.read(0, 0, kBig), leaves);
  std::vector<Hash32> level1 = reader.read(1, 0, kBig / 256);
  for (std::size_t i = 0; i < level1.size(); ++i) {
    ASSERT_EQ(level1[i], reference_mth(std::span<const Hash32>(leaves).subspan(i * 256, 256)));
  }
  EXPECT_THROW(reader.read(1, kBig / 256, 1), std::out_of_range);
  EXPECT_EQ(reader.read(2, 0, 1),
            std::vector<Hash32>{reference_mth(std::span<const Hash32>(leaves).first(65536))});
  EXPECT_THROW(reader.read(2, 1, 1), std::out_of_range);
  EXPECT_THROW(reader.read(3, 0, 1), std::out_of_range);
  for (int height : {0, 3, 7, 8, 9, 15, 16}) {
    std::uint64_t n = std::uint64_t{1} << height;
    std::uint64_t index = (kBig / n) - 1;
    EXPECT_EQ(subtree_hash(reader, height, index),
              reference_mth(std::span<const Hash32>(leaves).subspan(index * n, n)))
        << height;
  }
}

// One read per subtree, never more than 128 hashes, O(log n) reads per root.
TEST(Merkle, ReadsStayFewAndSmall) {
  crypto_init();
  CountingReader reader(big_reader());
  for (std::uint64_t n : std::vector<std::uint64_t>{1, 255, 256, 65535, 65536, kBig}) {
    reader.reads.clear();
    tree_root(reader, n);
    EXPECT_EQ(reader.reads.size(), static_cast<std::size_t>(std::popcount(n))) << n;
    for (std::uint64_t c : reader.reads) EXPECT_LE(c, 128u);
    reader.reads.clear();
    Frontier::from_reader(reader, n);
    EXPECT_EQ(reader.reads.size(), static_cast<std::size_t>(std::popcount(n))) << n;
  }
}

// The hash of every complete subtree at every height, paired up from the leaves; the root of
// the tree of n leaves is then the right fold of the subtrees that n's binary digits name. A
// second way to a root that is cheap at every size: tree_root must rehash the contents of the
// partial tiles each time, about 250 hashes a size here, 17 million for all 70000 sizes.
class AllSubtrees {
 public:
  explicit AllSubtrees(const std::vector<Hash32>& leaves) : levels_{leaves} {
    while (levels_.back().size() > 1) {
      const std::vector<Hash32>& below = levels_.back();
      std::vector<Hash32> up;
      for (std::size_t i = 0; i + 1 < below.size(); i += 2) {
        up.push_back(node_hash(below[i], below[i + 1]));
      }
      levels_.push_back(std::move(up));
    }
  }
  Hash32 root(std::uint64_t n) const {
    if (n == 0) return sha256("");
    int height = std::countr_zero(n);
    std::uint64_t end = n - (std::uint64_t{1} << height);
    Hash32 r = levels_[height][end >> height];
    for (++height; height < 64; ++height) {
      if (((n >> height) & 1) == 0) continue;
      end -= std::uint64_t{1} << height;
      r = node_hash(levels_[height][end >> height], r);
    }
    return r;
  }

 private:
  std::vector<std::vector<Hash32>> levels_;
};

TEST(Merkle, FrontierRootAtEverySize) {
  crypto_init();
  MemoryHashReader& reader = big_reader();
  AllSubtrees all(big_leaves());
  Frontier frontier;
  std::vector<StoredNode> completed;
  for (std::uint64_t size = 1; size <= kBig; ++size) {
    frontier.append(big_leaves()[size - 1], completed);
    ASSERT_EQ(frontier.size(), size);
    ASSERT_EQ(frontier.root(), all.root(size)) << size;
    // tree_root too wherever a tile boundary is near: the first 16 level-0 tiles, each tile's
    // edges, and across the first full level-1 tile.
    std::uint64_t in_tile = size % 256;
    if (size <= 4096 || size >= 65280 || in_tile <= 1 || in_tile == 255) {
      ASSERT_EQ(frontier.root(), tree_root(reader, size)) << size;
    }
  }
}

TEST(Merkle, FrontierReportsTheStoredTileLevelHashes) {
  crypto_init();
  MemoryHashReader& reader = big_reader();
  Frontier frontier;
  std::vector<StoredNode> completed;
  std::vector<StoredNode> level1;
  std::vector<StoredNode> level2;
  for (std::uint64_t size = 1; size <= kBig; ++size) {
    completed.clear();
    frontier.append(big_leaves()[size - 1], completed);
    for (const StoredNode& node : completed) {
      // A subtree is reported by the append of its last leaf, and only then.
      std::uint64_t span = std::uint64_t{1} << (8 * node.tile_level);
      ASSERT_EQ((node.index + 1) * span, size);
      ASSERT_TRUE(node.tile_level == 1 || node.tile_level == 2);
      (node.tile_level == 1 ? level1 : level2).push_back(node);
    }
  }
  std::vector<Hash32> stored1 = reader.read(1, 0, kBig / 256);
  ASSERT_EQ(level1.size(), stored1.size());
  for (std::size_t i = 0; i < level1.size(); ++i) {
    EXPECT_EQ(level1[i].index, i);
    EXPECT_EQ(level1[i].hash, stored1[i]);
  }
  ASSERT_EQ(level2.size(), 1u);
  EXPECT_EQ(level2[0].index, 0u);
  EXPECT_EQ(level2[0].hash, reader.read(2, 0, 1)[0]);
}

TEST(Merkle, FrontierFromReaderRoundTrip) {
  crypto_init();
  MemoryHashReader& reader = big_reader();
  const std::vector<Hash32>& leaves = big_leaves();
  Frontier incremental;
  std::vector<StoredNode> ignored;
  for (std::uint64_t size = 0; size <= kBig; ++size) {
    bool check = size <= 600 || (size >= 65500 && size <= 65600) || size % 997 == 0 || size == kBig;
    if (check) {
      Frontier rebuilt = Frontier::from_reader(reader, size);
      ASSERT_EQ(rebuilt.size(), size);
      ASSERT_EQ(rebuilt.hashes(), incremental.hashes()) << size;
      ASSERT_EQ(rebuilt.root(), incremental.root()) << size;
      // The rebuilt edge carries on exactly like the original.
      Frontier copy(size, rebuilt.hashes());
      std::vector<StoredNode> a;
      std::vector<StoredNode> b;
      for (std::uint64_t i = size; i < std::min(size + 300, kBig); ++i) {
        rebuilt.append(leaves[i], a);
        copy.append(leaves[i], b);
      }
      ASSERT_EQ(rebuilt.root(), tree_root(reader, std::min(size + 300, kBig))) << size;
      ASSERT_EQ(copy.root(), rebuilt.root());
      ASSERT_EQ(a.size(), b.size());
    }
    if (size < kBig) incremental.append(leaves[size], ignored);
  }
}

}  // namespace
}  // namespace rekap::tlog
