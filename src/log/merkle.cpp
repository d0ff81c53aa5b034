#include "log/merkle.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <stdexcept>
#include <string>

namespace rekap::tlog {

namespace {

Hash32 empty_root() {
  return sha256("");
}

// Folds the 2^k hashes at the bottom of a complete subtree into its root, level by level.
Hash32 fold(std::vector<Hash32> hashes) {
  while (hashes.size() > 1) {
    for (std::size_t i = 0; i < hashes.size() / 2; ++i) {
      hashes[i] = node_hash(hashes[2 * i], hashes[2 * i + 1]);
    }
    hashes.resize(hashes.size() / 2);
  }
  return hashes.front();
}

// The largest power of two smaller than n (n >= 2): where RFC 6962 splits a tree of n leaves.
std::uint64_t split_point(std::uint64_t n) {
  return std::bit_floor(n - 1);
}

// MTH(D[begin:begin+n]) for n >= 1. Pieces aligned to their own power-of-two size are complete
// subtrees of the log, read from storage instead of recursed into.
Hash32 mth(HashReader& reader, std::uint64_t begin, std::uint64_t n) {
  if (std::has_single_bit(n) && begin % n == 0) {
    int height = std::countr_zero(n);
    return subtree_hash(reader, height, begin >> height);
  }
  std::uint64_t k = split_point(n);
  return node_hash(mth(reader, begin, k), mth(reader, begin + k, n - k));
}

// RFC 6962 PATH(m, D[begin:begin+n]), deepest sibling first.
void path(HashReader& reader, std::uint64_t m, std::uint64_t begin, std::uint64_t n,
          std::vector<Hash32>& out) {
  if (n == 1) return;
  std::uint64_t k = split_point(n);
  if (m < k) {
    path(reader, m, begin, k, out);
    out.push_back(mth(reader, begin + k, n - k));
  } else {
    path(reader, m - k, begin + k, n - k, out);
    out.push_back(mth(reader, begin, k));
  }
}

// RFC 6962 SUBPROOF(m, D[begin:begin+n], whole): `whole` says whether D[begin:begin+m] is the
// old tree itself, whose root the verifier already has.
void subproof(HashReader& reader, std::uint64_t m, std::uint64_t begin, std::uint64_t n, bool whole,
              std::vector<Hash32>& out) {
  if (m == n) {
    if (!whole) out.push_back(mth(reader, begin, n));
    return;
  }
  std::uint64_t k = split_point(n);
  if (m <= k) {
    subproof(reader, m, begin, k, whole, out);
    out.push_back(mth(reader, begin + k, n - k));
  } else {
    subproof(reader, m - k, begin + k, n - k, false, out);
    out.push_back(mth(reader, begin, k));
  }
}

// RFC 9162's "right-shift fn and sn until LSB(fn) is set or fn is 0".
void shift_to_set_bit(std::uint64_t& fn, std::uint64_t& sn) {
  while (fn != 0 && (fn & 1) == 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

Hash32 leaf_hash(std::string_view entry) {
  return sha256({std::string_view("\x00", 1), entry});
}

Hash32 node_hash(const Hash32& left, const Hash32& right) {
  auto bytes = [](const Hash32& h) {
    return std::string_view(reinterpret_cast<const char*>(h.data()), h.size());
  };
  return sha256({std::string_view("\x01", 1), bytes(left), bytes(right)});
}

Hash32 subtree_hash(HashReader& reader, int height, std::uint64_t index) {
  if (height < 0 || height > 63 || (height > 0 && (index >> (64 - height)) != 0)) {
    throw std::invalid_argument("subtree out of range");
  }
  return reader.subtree(height, index);
}

Hash32 HashReader::subtree(int height, std::uint64_t index) {
  int level = height / 8;
  int below = height % 8;
  std::uint64_t count = std::uint64_t{1} << below;
  std::vector<Hash32> hashes = read(level, index << below, count);
  // A reader that returns too few hashes would otherwise yield a wrong root, not an error.
  if (hashes.size() != count) throw std::runtime_error("hash reader returned a short read");
  return fold(std::move(hashes));
}

Hash32 range_hash(HashReader& reader, std::uint64_t begin, std::uint64_t end) {
  if (begin > end) throw std::invalid_argument("range begins after its end");
  if (begin == end) return empty_root();
  return mth(reader, begin, end - begin);
}

Hash32 tree_root(HashReader& reader, std::uint64_t size) {
  return range_hash(reader, 0, size);
}

std::vector<Hash32> inclusion_proof(HashReader& reader, std::uint64_t index, std::uint64_t size) {
  if (index >= size) throw std::invalid_argument("leaf index not in the tree");
  std::vector<Hash32> out;
  path(reader, index, 0, size, out);
  return out;
}

std::vector<Hash32> consistency_proof(HashReader& reader, std::uint64_t old_size,
                                      std::uint64_t new_size) {
  if (old_size > new_size) throw std::invalid_argument("old tree larger than new tree");
  std::vector<Hash32> out;
  if (old_size == 0 || old_size == new_size) return out;
  subproof(reader, old_size, 0, new_size, true, out);
  return out;
}

bool verify_inclusion(const Hash32& leaf, std::uint64_t index, std::uint64_t size,
                      std::span<const Hash32> proof, const Hash32& root) {
  if (index >= size) return false;
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Hash32 r = leaf;
  for (const Hash32& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      r = node_hash(p, r);
      shift_to_set_bit(fn, sn);
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash32& old_root,
                        const Hash32& new_root, std::span<const Hash32> proof) {
  if (old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (old_size == 0) return proof.empty() && old_root == empty_root();
  if (proof.empty()) return false;

  // When the old tree is a complete subtree, its root is the proof's implicit first element.
  bool implicit = std::has_single_bit(old_size);
  const Hash32& first = implicit ? old_root : proof[0];
  std::span<const Hash32> rest = implicit ? proof : proof.subspan(1);

  std::uint64_t fn = old_size - 1;
  std::uint64_t sn = new_size - 1;
  while ((fn & 1) != 0) {
    fn >>= 1;
    sn >>= 1;
  }
  Hash32 fr = first;
  Hash32 sr = first;
  for (const Hash32& c : rest) {
    if (sn == 0) return false;
    if ((fn & 1) != 0 || fn == sn) {
      fr = node_hash(c, fr);
      sr = node_hash(c, sr);
      shift_to_set_bit(fn, sn);
    } else {
      sr = node_hash(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && fr == old_root && sr == new_root;
}

Frontier::Frontier(std::uint64_t size, std::vector<Hash32> hashes)
    : size_(size), hashes_(std::move(hashes)) {
  if (hashes_.size() != static_cast<std::size_t>(std::popcount(size_))) {
    throw std::invalid_argument("frontier needs one hash per bit set in the tree size");
  }
}

Frontier Frontier::from_reader(HashReader& reader, std::uint64_t size) {
  std::vector<Hash32> hashes;
  std::uint64_t start = 0;
  for (int height = 63; height >= 0; --height) {
    if (((size >> height) & 1) == 0) continue;
    hashes.push_back(subtree_hash(reader, height, start >> height));
    start += std::uint64_t{1} << height;
  }
  return Frontier(size, std::move(hashes));
}

void Frontier::append(const Hash32& leaf, std::vector<StoredNode>& completed) {
  // Each trailing one bit of the old size is a subtree the new leaf's subtree now pairs with,
  // smallest first; the merged subtree of height h ends at the new size.
  std::uint64_t new_size = size_ + 1;
  Hash32 h = leaf;
  int height = 0;
  for (std::uint64_t s = size_; (s & 1) != 0; s >>= 1) {
    h = node_hash(hashes_.back(), h);
    hashes_.pop_back();
    ++height;
    if (height % 8 == 0) completed.push_back({height / 8, (new_size >> height) - 1, h});
  }
  hashes_.push_back(h);
  size_ = new_size;
}

Hash32 Frontier::root() const {
  if (hashes_.empty()) return empty_root();
  Hash32 r = hashes_.back();
  for (auto it = hashes_.rbegin() + 1; it != hashes_.rend(); ++it) r = node_hash(*it, r);
  return r;
}

void MemoryHashReader::append(const Hash32& leaf) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf);
  for (std::size_t k = 0; levels_[k].size() % 256 == 0; ++k) {
    if (k + 1 == levels_.size()) levels_.emplace_back();
    const std::vector<Hash32>& below = levels_[k];
    levels_[k + 1].push_back(fold({below.end() - 256, below.end()}));
  }
}

std::vector<Hash32> MemoryHashReader::read(int tile_level, std::uint64_t first,
                                           std::uint64_t count) {
  if (tile_level < 0 || static_cast<std::size_t>(tile_level) >= levels_.size()) {
    throw std::out_of_range("no hashes at this tile level");
  }
  const std::vector<Hash32>& level = levels_[tile_level];
  if (first > level.size() || count > level.size() - first) {
    throw std::out_of_range("hashes not in the tree yet");
  }
  return {level.begin() + static_cast<std::ptrdiff_t>(first),
          level.begin() + static_cast<std::ptrdiff_t>(first + count)};
}

}  // namespace rekap::tlog
