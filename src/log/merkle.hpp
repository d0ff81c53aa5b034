#pragma once
// The log's Merkle tree (RFC 6962 / RFC 9162 section 2.1), computed from the hashes a tiled log
// stores (C2SP tlog-tiles): only roots of complete subtrees of 256^k leaves ("tile level" k), so
// that every proof and every root can be rebuilt from the published tiles alone. Pure logic, no
// I/O: where the stored hashes come from is the HashReader's business.
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/keys.hpp"

namespace rekap::tlog {

// SHA-256(0x00 || entry): the hash of one log entry.
Hash32 leaf_hash(std::string_view entry);
// SHA-256(0x01 || left || right): the hash of an interior node.
Hash32 node_hash(const Hash32& left, const Hash32& right);

// Source of stored hashes. Tile level 0 holds the leaf hashes; tile level k holds the roots of
// the complete subtrees of 256^k leaves, indexed from the left.
class HashReader {
 public:
  virtual ~HashReader() = default;
  // The hashes at tile_level with indexes [first, first + count); may throw if they are not
  // available.
  virtual std::vector<Hash32> read(int tile_level, std::uint64_t first, std::uint64_t count) = 0;
  // Root of the complete subtree of 2^height leaves starting at leaf index << height, with
  // height and index already checked: by default folded from one read. A reader that keeps
  // hashes may answer from what it keeps.
  virtual Hash32 subtree(int height, std::uint64_t index);
};

// Root of the complete subtree of 2^height leaves starting at leaf index << height, folded from
// one read of at most 128 hashes at tile level height / 8. height must be 0..63.
Hash32 subtree_hash(HashReader& reader, int height, std::uint64_t index);
// MTH(D[begin:end]) as RFC 6962 defines it (the empty range hashes to SHA-256("")). Ranges of the
// tree's own shape (every one a proof or root needs) cost O(log n) reads; any other range is
// still hashed correctly but may read every leaf in it.
Hash32 range_hash(HashReader& reader, std::uint64_t begin, std::uint64_t end);
// The root of the tree of the first `size` entries.
Hash32 tree_root(HashReader& reader, std::uint64_t size);

// RFC 9162 2.1.3.1: the inclusion proof of leaf `index` in the tree of `size` leaves.
// Throws std::invalid_argument unless index < size.
std::vector<Hash32> inclusion_proof(HashReader& reader, std::uint64_t index, std::uint64_t size);
// RFC 9162 2.1.4.1: the consistency proof from the tree of old_size leaves to the tree of
// new_size leaves; empty when old_size is 0 or equal to new_size. Throws std::invalid_argument
// if old_size > new_size.
std::vector<Hash32> consistency_proof(HashReader& reader, std::uint64_t old_size,
                                      std::uint64_t new_size);

// RFC 9162 2.1.3.2. False for index >= size and for a proof of any other length than the one the
// index and size call for.
bool verify_inclusion(const Hash32& leaf, std::uint64_t index, std::uint64_t size,
                      std::span<const Hash32> proof, const Hash32& root);
// RFC 9162 2.1.4.2, plus the cases it leaves out: equal sizes need an empty proof and equal
// roots; old_size 0 needs an empty proof and old_root = SHA-256("") (the empty tree's root).
bool verify_consistency(std::uint64_t old_size, std::uint64_t new_size, const Hash32& old_root,
                        const Hash32& new_root, std::span<const Hash32> proof);

// A stored hash that an append completed: the root of complete subtree `index` of 256^tile_level
// leaves.
struct StoredNode {
  int tile_level = 0;
  std::uint64_t index = 0;
  Hash32 hash{};
};

// The right edge of the tree: the roots of the complete subtrees that the size's binary digits
// describe, largest first. Enough to append and to compute the root without reading anything.
class Frontier {
 public:
  Frontier() = default;
  // Throws std::invalid_argument unless hashes has one entry per bit set in size.
  Frontier(std::uint64_t size, std::vector<Hash32> hashes);
  // Rebuilds the edge of the tree of `size` leaves from O(log size) subtree hashes.
  static Frontier from_reader(HashReader& reader, std::uint64_t size);

  // Appends one leaf hash. Every subtree of 256^k leaves (k >= 1) that this leaf completes is
  // added to `completed` (which is not cleared), so that the caller can store the tile-level
  // hashes in the same transaction as the leaf.
  void append(const Hash32& leaf, std::vector<StoredNode>& completed);

  Hash32 root() const;
  std::uint64_t size() const { return size_; }
  const std::vector<Hash32>& hashes() const { return hashes_; }

 private:
  std::uint64_t size_ = 0;
  std::vector<Hash32> hashes_;
};

// All leaf hashes in memory, with the tile-level hashes computed as the leaves arrive. For tests,
// and for auditors that hold the whole log anyway.
class MemoryHashReader : public HashReader {
 public:
  void append(const Hash32& leaf);
  std::uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }
  // Throws std::out_of_range for hashes that do not exist (yet).
  std::vector<Hash32> read(int tile_level, std::uint64_t first, std::uint64_t count) override;

 private:
  std::vector<std::vector<Hash32>> levels_;  // levels_[k]: the hashes at tile level k
};

}  // namespace rekap::tlog
