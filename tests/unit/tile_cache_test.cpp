// The proof tile cache: every proof and root through it equals the one computed from the stored
// hashes directly, across tile boundaries and the tree's incomplete right edge, as the tree grows;
// and it reads each complete tile once.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "log/merkle.hpp"
#include "log/tile_cache.hpp"

namespace rekap::tlog {
namespace {

// Counts the reads that reach the stored hashes.
class CountingReader : public HashReader {
 public:
  explicit CountingReader(MemoryHashReader& inner) : inner_(inner) {}
  std::vector<Hash32> read(int level, std::uint64_t first, std::uint64_t count) override {
    ++reads;
    return inner_.read(level, first, count);
  }
  int reads = 0;

 private:
  MemoryHashReader& inner_;
};

void grow(MemoryHashReader& tree, std::uint64_t to) {
  while (tree.size() < to) tree.append(leaf_hash("entry " + std::to_string(tree.size())));
}

TEST(TileCache, ProofsAndRootsEqualThoseFromTheStoredHashesAsTheTreeGrows) {
  MemoryHashReader tree;
  CountingReader source(tree);
  TileCache cache(source, 64);
  // Sizes around the first level-1 tile (65,536 leaves) and inside partial tiles.
  for (std::uint64_t size :
       {1ULL, 255ULL, 256ULL, 257ULL, 4'000ULL, 65'535ULL, 65'536ULL, 65'537ULL, 70'001ULL}) {
    grow(tree, size);
    cache.set_size(size);
    EXPECT_EQ(tree_root(cache, size), tree_root(tree, size)) << size;
    for (std::uint64_t index : {std::uint64_t{0}, size / 3, size / 2, size - 1}) {
      auto proof = inclusion_proof(cache, index, size);
      EXPECT_EQ(proof, inclusion_proof(tree, index, size)) << index << " in " << size;
      Hash32 leaf = leaf_hash("entry " + std::to_string(index));
      EXPECT_TRUE(verify_inclusion(leaf, index, size, proof, tree_root(tree, size)));
    }
    if (size > 1) {
      EXPECT_EQ(consistency_proof(cache, size / 2, size), consistency_proof(tree, size / 2, size));
    }
  }
}

TEST(TileCache, ReadsEachCompleteTileOnceForManyProofs) {
  MemoryHashReader tree;
  grow(tree, 3 * 256 + 17);
  CountingReader source(tree);
  TileCache cache(source, 64);
  cache.set_size(tree.size());
  Hash32 root = tree_root(tree, tree.size());
  for (std::uint64_t i = 0; i < 3 * 256; ++i) {
    auto proof = inclusion_proof(cache, i, tree.size());
    ASSERT_TRUE(
        verify_inclusion(leaf_hash("entry " + std::to_string(i)), i, tree.size(), proof, root));
  }
  // Three complete level-0 tiles, each read once; what lies in the incomplete right edge (the
  // 17 newest leaves, the three level-1 hashes) is read where a proof needs it, as without the
  // cache.
  EXPECT_EQ(cache.loads(), 3u);
  CountingReader direct(tree);
  for (std::uint64_t i = 0; i < 3 * 256; ++i) inclusion_proof(direct, i, tree.size());
  EXPECT_LT(source.reads * 2, direct.reads);
}

TEST(TileCache, AHashBeyondTheKnownSizeIsReadNotKept) {
  MemoryHashReader tree;
  grow(tree, 600);
  CountingReader source(tree);
  TileCache cache(source, 8);
  auto proofs = [&] {
    for (std::uint64_t i : {0, 300}) {
      ASSERT_EQ(inclusion_proof(cache, i, 600), inclusion_proof(tree, i, 600));
    }
  };
  cache.set_size(100);  // the store has more, but the cache was told of 100 only
  proofs();
  EXPECT_EQ(cache.loads(), 0u);
  cache.set_size(600);
  cache.set_size(10);  // a smaller size is ignored
  proofs();
  EXPECT_EQ(cache.loads(), 2u);  // level-0 tiles 0 and 1; the rest of the tree is incomplete
}

TEST(TileCache, KeepsAtMostItsLimitAndStaysRightWhenTilesAreDropped) {
  MemoryHashReader tree;
  grow(tree, 10 * 256);
  CountingReader source(tree);
  TileCache cache(source, 2);
  cache.set_size(tree.size());
  Hash32 root = tree_root(tree, tree.size());
  for (int round = 0; round < 2; ++round) {
    for (std::uint64_t i = 0; i < tree.size(); i += 97) {
      ASSERT_EQ(inclusion_proof(cache, i, tree.size()), inclusion_proof(tree, i, tree.size()));
    }
  }
  EXPECT_EQ(tree_root(cache, tree.size()), root);
  EXPECT_GT(cache.loads(), 10u);  // dropped tiles are read again
}

TEST(TileCache, ManyThreadsGetTheSameProofs) {
  MemoryHashReader tree;
  grow(tree, 5000);
  std::vector<std::vector<Hash32>> expected;
  for (std::uint64_t i = 0; i < 5000; ++i) expected.push_back(inclusion_proof(tree, i, 5000));
  // The memory reader is read-only once built, so its reads may run at once.
  TileCache cache(tree, 4);
  cache.set_size(5000);
  std::vector<std::thread> threads;
  std::atomic<int> wrong = 0;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t i = std::uint64_t(t); i < 5000; i += 3) {
        if (inclusion_proof(cache, i, 5000) != expected[i]) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace rekap::tlog
