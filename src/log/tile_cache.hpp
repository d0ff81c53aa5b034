#pragma once
// Recently used complete tiles of the log's hash tree, each with every node inside it, so that
// proofs for many entries of one log (the portal publishes one per TPS and ballot) read each tile
// once and hash nothing twice: a proof then costs a few lookups instead of some twenty reads and
// hundreds of hashes. A complete tile never changes, so nothing kept can go stale; hashes in the
// tree's incomplete right edge are read from the source each time. Thread-safe.
#include <array>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "log/merkle.hpp"

namespace rekap::tlog {

class TileCache : public HashReader {
 public:
  // Keeps at most max_tiles tiles (16 KiB each).
  TileCache(HashReader& source, std::size_t max_tiles);

  // The source holds every hash of the tree of `size` leaves; a smaller size than before is
  // ignored (a log only grows).
  void set_size(std::uint64_t size);

  std::vector<Hash32> read(int tile_level, std::uint64_t first, std::uint64_t count) override;
  Hash32 subtree(int height, std::uint64_t index) override;

  // For tests and logging: tiles read from the source so far.
  std::uint64_t loads() const;

 private:
  // A tile's 256 hashes and the nodes of its first seven levels above them (128, 64, ... 2),
  // one after the other: every subtree a tile holds below its own root.
  static constexpr std::size_t kNodes = 510;
  using Nodes = std::array<Hash32, kNodes>;
  using Key = std::uint64_t;  // level in the top 8 bits, tile index below

  std::shared_ptr<const Nodes> tile(int level, std::uint64_t index);

  HashReader& source_;
  std::size_t max_tiles_;
  mutable std::mutex mutex_;
  std::uint64_t size_ = 0;
  std::uint64_t loads_ = 0;
  std::list<Key> order_;  // most recently used first
  struct Entry {
    std::shared_ptr<const Nodes> nodes;
    std::list<Key>::iterator position;
  };
  std::unordered_map<Key, Entry> tiles_;
};

}  // namespace rekap::tlog
