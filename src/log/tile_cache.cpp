#include "log/tile_cache.hpp"

#include <algorithm>
#include <stdexcept>

namespace rekap::tlog {

namespace {

// Where the nodes `depth` levels above a tile's hashes begin in its node array.
constexpr std::size_t depth_offset(int depth) {
  return 512 - (std::size_t{512} >> depth);
}

}  // namespace

TileCache::TileCache(HashReader& source, std::size_t max_tiles)
    : source_(source), max_tiles_(std::max<std::size_t>(1, max_tiles)) {}

void TileCache::set_size(std::uint64_t size) {
  std::lock_guard lock(mutex_);
  size_ = std::max(size_, size);
}

std::uint64_t TileCache::loads() const {
  std::lock_guard lock(mutex_);
  return loads_;
}

std::vector<Hash32> TileCache::read(int tile_level, std::uint64_t first, std::uint64_t count) {
  return source_.read(tile_level, first, count);
}

Hash32 TileCache::subtree(int height, std::uint64_t index) {
  int level = height / 8;
  int below = height % 8;
  std::uint64_t first = index << below;  // the subtree's first hash at its tile level
  std::uint64_t tile_index = first / 256;
  bool complete;
  {
    std::lock_guard lock(mutex_);
    // Hashes at a tile level: one per complete subtree of 256^level leaves.
    complete = (tile_index + 1) * 256 <= (size_ >> (8 * level));
  }
  if (!complete) return HashReader::subtree(height, index);
  auto nodes = tile(level, tile_index);
  return (*nodes)[depth_offset(below) + ((first % 256) >> below)];
}

std::shared_ptr<const TileCache::Nodes> TileCache::tile(int level, std::uint64_t index) {
  Key key = (Key(level) << 56) | index;
  {
    std::lock_guard lock(mutex_);
    if (auto it = tiles_.find(key); it != tiles_.end()) {
      order_.splice(order_.begin(), order_, it->second.position);
      return it->second.nodes;
    }
  }
  // Read and hashed outside the lock: other proofs go on meanwhile; two threads that want the
  // same new tile both compute it, and the same nodes are kept.
  std::vector<Hash32> hashes = source_.read(level, index * 256, 256);
  if (hashes.size() != 256) throw std::runtime_error("hash reader returned a short tile");
  auto nodes = std::make_shared<Nodes>();
  std::copy(hashes.begin(), hashes.end(), nodes->begin());
  for (int depth = 1; depth < 8; ++depth) {
    std::size_t below = depth_offset(depth - 1), here = depth_offset(depth);
    for (std::size_t i = 0; i < (std::size_t{256} >> depth); ++i) {
      (*nodes)[here + i] = node_hash((*nodes)[below + 2 * i], (*nodes)[below + 2 * i + 1]);
    }
  }
  std::lock_guard lock(mutex_);
  ++loads_;
  if (auto it = tiles_.find(key); it != tiles_.end()) return it->second.nodes;
  order_.push_front(key);
  tiles_.emplace(key, Entry{nodes, order_.begin()});
  if (tiles_.size() > max_tiles_) {
    tiles_.erase(order_.back());
    order_.pop_back();
  }
  return nodes;
}

}  // namespace rekap::tlog
