// C2SP tlog-tiles paths, widths and contents: the examples the spec gives, and the property that
// the tiles published for a tree size are all a client needs to compute its root and proofs.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <map>
#include <random>

#include "log/tiles.hpp"

namespace rekap::tlog {
namespace {

TEST(Tiles, PathEncodingFromTheSpec) {
  EXPECT_EQ(tile_path({0, 0}), "tile/0/000");
  EXPECT_EQ(tile_path({0, 1234067}), "tile/0/x001/x234/067");
  EXPECT_EQ(tile_path({1, 1234, 5}), "tile/1/x001/234.p/5");
  EXPECT_EQ(tile_path({0, 3456789, 256, true}), "tile/entries/x003/x456/789");
  EXPECT_EQ(tile_path({7, 3456789, 256, true}), "tile/entries/x003/x456/789");  // level ignored
  EXPECT_EQ(tile_path({0, 0, 1, true}), "tile/entries/000.p/1");
  EXPECT_EQ(tile_path({2, 999, 255}), "tile/2/999.p/255");
  EXPECT_EQ(tile_path({63, 1000}), "tile/63/x001/000");
  EXPECT_EQ(tile_path({0, 1000000}), "tile/0/x001/x000/000");
  EXPECT_EQ(tile_path({0, UINT64_MAX}), "tile/0/x018/x446/x744/x073/x709/x551/615");
  EXPECT_THROW(tile_path({0, 0, 0}), std::invalid_argument);
  EXPECT_THROW(tile_path({0, 0, 257}), std::invalid_argument);
  EXPECT_THROW(tile_path({64, 0}), std::invalid_argument);
  EXPECT_THROW(tile_path({-1, 0}), std::invalid_argument);
  EXPECT_THROW(tile_path({0, 0, 0, true}), std::invalid_argument);
}

TEST(Tiles, ParseRoundTrip) {
  std::vector<TileRef> tiles;
  for (int level : {0, 1, 2, 9, 10, 63}) {
    for (std::uint64_t index : std::vector<std::uint64_t>{0, 1, 9, 10, 999, 1000, 1001, 999999,
                                                          1000000, 1234067, UINT64_MAX}) {
      for (int width : {1, 2, 112, 255, 256}) {
        tiles.push_back({level, index, width});
        if (level == 0) tiles.push_back({0, index, width, true});
      }
    }
  }
  for (const TileRef& t : tiles) {
    std::optional<TileRef> back = parse_tile_path(tile_path(t));
    ASSERT_TRUE(back) << tile_path(t);
    EXPECT_EQ(*back, t) << tile_path(t);
  }
  std::optional<TileRef> t = parse_tile_path("tile/entries/x003/x456/789.p/17");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->entries);
  EXPECT_EQ(t->index, 3456789u);
  EXPECT_EQ(t->width, 17);
}

TEST(Tiles, RefusesNonCanonicalPaths) {
  for (const char* path : {
           "",
           "tile",
           "tile/",
           "tile/0",
           "tile/0/",
           "/tile/0/000",
           "tiles/0/000",
           "tile//000",
           "tile/0/000/",
           "tile/0//000",
           "tile/0/0",                                  // index elements are three digits
           "tile/0/00",                                 //
           "tile/0/0000",                               //
           "tile/0/1234",                               //
           "tile/0/x1/234",                             //
           "tile/0/x0001/234",                          //
           "tile/0/001/234",                            // all but the last element begin with x
           "tile/0/x001",                               // the last one does not
           "tile/0/x001/x234",                          //
           "tile/0/X001/234",                           //
           "tile/0/x000/001",                           // a leading zero group
           "tile/0/x000/x001/234",                      //
           "tile/0/+01",                                //
           "tile/0/-01",                                //
           "tile/0/0x1",                                //
           "tile/0/ 01",                                //
           "tile/0/001 ",                               //
           "tile/00/000",                               // levels have no leading zeros
           "tile/01/000",                               //
           "tile/64/000",                               // and go up to 63
           "tile/100/000",                              //
           "tile/-1/000",                               //
           "tile/+1/000",                               //
           "tile/ 1/000",                               //
           "tile/data/000",                             // Go sumdb's name for bundles, not C2SP's
           "tile/entries",                              //
           "tile/entries/",                             //
           "tile/Entries/000",                          //
           "tile/0/000.p",                              // a partial tile needs a width
           "tile/0/000.p/",                             //
           "tile/0/000.p/0",                            // of 1..255
           "tile/0/000.p/256",                          //
           "tile/0/000.p/1000",                         //
           "tile/0/000.p/05",                           // without leading zeros
           "tile/0/000.p/5/",                           //
           "tile/0/000.p/5/6",                          //
           "tile/0/000.p/5a",                           //
           "tile/0/000.P/5",                            //
           "tile/0/x001.p/5",                           //
           "tile/0/000.p.p/5",                          //
           "tile/entries/000.p/256",                    //
           "tile/0/x018/x446/x744/x073/x709/x551/616",  // past 2^64 - 1
           "tile/0/x001/x000/x000/x000/x000/x000/x000/000",  //
       }) {
    EXPECT_FALSE(parse_tile_path(path)) << path;
  }
  EXPECT_TRUE(parse_tile_path("tile/63/000"));
  EXPECT_TRUE(parse_tile_path("tile/0/x018/x446/x744/x073/x709/x551/615"));
}

// For each tree size, the exact tiles it has. 70000 is the spec's own example: 273 full level-0
// tiles, a partial one of width 112, one full level-1 tile, a partial one of width 17 and a
// partial level-2 tile of width 1.
TEST(Tiles, TilesForSize) {
  using V = std::vector<TileRef>;
  EXPECT_EQ(tiles_for_size(0), V{});
  EXPECT_EQ(tiles_for_size(1), (V{{0, 0, 1}}));
  EXPECT_EQ(tiles_for_size(255), (V{{0, 0, 255}}));
  EXPECT_EQ(tiles_for_size(256), (V{{0, 0, 256}, {1, 0, 1}}));  // the spec's other example
  EXPECT_EQ(tiles_for_size(257), (V{{0, 0, 256}, {0, 1, 1}, {1, 0, 1}}));
  EXPECT_EQ(tiles_for_size(512), (V{{0, 0, 256}, {0, 1, 256}, {1, 0, 2}}));

  auto expect_levels = [](std::uint64_t size, const std::vector<V>& want_by_level) {
    V all = tiles_for_size(size);
    V want;
    for (const V& level : want_by_level) want.insert(want.end(), level.begin(), level.end());
    EXPECT_EQ(all, want) << size;
  };
  auto full = [](int level, std::uint64_t count) {
    V v;
    for (std::uint64_t i = 0; i < count; ++i) v.push_back({level, i});
    return v;
  };
  auto with = [](V v, TileRef t) {
    v.push_back(t);
    return v;
  };
  expect_levels(65535, {with(full(0, 255), {0, 255, 255}), {{1, 0, 255}}});
  expect_levels(65536, {full(0, 256), full(1, 1), {{2, 0, 1}}});
  expect_levels(70000,
                {with(full(0, 273), {0, 273, 112}), with(full(1, 1), {1, 1, 17}), {{2, 0, 1}}});
  EXPECT_EQ(tiles_for_size(70000).size(), 277u);
  EXPECT_EQ(tiles_for_size(65536).size(), 258u);
  EXPECT_EQ(tiles_for_size(65535).size(), 257u);
}

TEST(Tiles, TileWidth) {
  for (std::uint64_t size : std::vector<std::uint64_t>{0, 1, 255, 256, 257, 65535, 65536, 70000}) {
    std::map<std::pair<int, std::uint64_t>, int> listed;
    for (const TileRef& t : tiles_for_size(size)) listed[{t.level, t.index}] = t.width;
    // Every tile a size has, and the ones next to them, which it does not.
    for (int level = 0; level < 4; ++level) {
      for (std::uint64_t index = 0; index < 300; ++index) {
        auto it = listed.find({level, index});
        EXPECT_EQ(tile_width(level, index, size), it == listed.end() ? 0 : it->second)
            << size << " " << level << "/" << index;
        if (level == 0) {
          EXPECT_EQ(bundle_width(index, size), tile_width(0, index, size));
        }
      }
    }
  }
  EXPECT_EQ(tile_width(0, 272, 70000), 256);
  EXPECT_EQ(tile_width(0, 273, 70000), 112);
  EXPECT_EQ(tile_width(0, 274, 70000), 0);
  EXPECT_EQ(tile_width(1, 1, 70000), 17);
  EXPECT_EQ(tile_width(2, 0, 70000), 1);
  EXPECT_EQ(tile_width(3, 0, 70000), 0);
  EXPECT_EQ(bundle_width(273, 70000), 112);
  EXPECT_EQ(tile_width(7, 0, UINT64_MAX), 255);
  EXPECT_EQ(tile_width(8, 0, UINT64_MAX), 0);
  EXPECT_EQ(tile_width(63, 0, UINT64_MAX), 0);
  EXPECT_THROW(tile_width(64, 0, 1), std::invalid_argument);
  EXPECT_THROW(tile_width(-1, 0, 1), std::invalid_argument);
}

Hash32 reference_mth(std::span<const Hash32> leaves) {
  if (leaves.empty()) return sha256("");
  if (leaves.size() == 1) return leaves[0];
  std::size_t k = std::bit_floor(leaves.size() - 1);
  return node_hash(reference_mth(leaves.first(k)), reference_mth(leaves.subspan(k)));
}

const std::vector<Hash32>& leaves() {
  static const std::vector<Hash32> all = [] {
    crypto_init();
    std::mt19937_64 rng(256);
    std::vector<Hash32> v;
    for (int i = 0; i < 70000; ++i) v.push_back(leaf_hash(std::to_string(rng())));
    return v;
  }();
  return all;
}

// Serves hashes only out of published tile contents, as a client fetching tiles would see them;
// refuses anything that would need a tile it was not given.
class TileReader : public HashReader {
 public:
  void add(const TileRef& t, std::string data) { tiles_[{t.level, t.index}] = std::move(data); }
  std::vector<Hash32> read(int level, std::uint64_t first, std::uint64_t count) override {
    auto it = tiles_.find({level, first / 256});
    if (it == tiles_.end()) throw std::out_of_range("tile not published");
    const std::string& data = it->second;
    std::size_t offset = (first % 256) * 32;
    if (offset + count * 32 > data.size()) throw std::out_of_range("past the tile");
    std::vector<Hash32> out(count);
    for (std::uint64_t i = 0; i < count; ++i) {
      std::copy_n(data.begin() + offset + i * 32, 32, out[i].begin());
    }
    return out;
  }

 private:
  std::map<std::pair<int, std::uint64_t>, std::string> tiles_;
};

TEST(Tiles, HashTileContents) {
  crypto_init();
  MemoryHashReader reader;
  for (const Hash32& l : leaves()) reader.append(l);
  std::span<const Hash32> all(leaves());
  for (std::uint64_t size : std::vector<std::uint64_t>{1, 255, 256, 257, 65535, 65536, 70000}) {
    TileReader published;
    for (const TileRef& t : tiles_for_size(size)) {
      std::string data = hash_tile_data(reader, t.level, t.index, t.width);
      ASSERT_EQ(data.size(), 32u * t.width);
      // Hash i of tile n at level l is MTH(D[(256n + i) * 256^l : (256n + i + 1) * 256^l]).
      std::uint64_t span = std::uint64_t{1} << (8 * t.level);
      for (int i = 0; i < t.width; ++i) {
        Hash32 want = reference_mth(all.subspan((t.index * 256 + i) * span, span));
        ASSERT_EQ(data.substr(32 * i, 32), std::string(want.begin(), want.end()))
            << size << " " << tile_path(t) << " hash " << i;
      }
      published.add(t, std::move(data));
    }
    // Those tiles alone give the tree's root and any proof within it.
    Hash32 root = reference_mth(all.first(size));
    EXPECT_EQ(tree_root(published, size), root) << size;
    for (std::uint64_t i : {std::uint64_t{0}, size / 2, size - 1}) {
      EXPECT_TRUE(
          verify_inclusion(leaves()[i], i, size, inclusion_proof(published, i, size), root));
    }
    for (std::uint64_t m : {std::uint64_t{1}, size / 3, size - 1}) {
      Hash32 old_root = reference_mth(all.first(m));
      EXPECT_TRUE(
          verify_consistency(m, size, old_root, root, consistency_proof(published, m, size)));
    }
    EXPECT_EQ(Frontier::from_reader(published, size).root(), root);
  }
  EXPECT_THROW(hash_tile_data(reader, 0, 273, 256), std::out_of_range);  // not full yet
  EXPECT_THROW(hash_tile_data(reader, 0, 0, 0), std::invalid_argument);
  EXPECT_THROW(hash_tile_data(reader, 0, 0, 257), std::invalid_argument);
  EXPECT_THROW(hash_tile_data(reader, 64, 0, 1), std::invalid_argument);
  EXPECT_THROW(hash_tile_data(reader, 0, UINT64_MAX, 1), std::invalid_argument);
  // A partial tile is a prefix of the full tile that later replaces it.
  EXPECT_EQ(hash_tile_data(reader, 0, 273, 112).substr(0, 32 * 5),
            hash_tile_data(reader, 0, 273, 5));
}

TEST(Tiles, BundleRoundTrip) {
  EXPECT_EQ(bundle_data({"a", ""}), std::string("\x00\x01"
                                                "a"
                                                "\x00\x00",
                                                5));
  std::vector<std::string> entries = {"", std::string(1, '\0'), "statement",
                                      std::string(65535, 'x'), std::string(256, '\xff')};
  EXPECT_EQ(parse_bundle(bundle_data(entries)), entries);
  std::vector<std::string> full;
  for (int i = 0; i < 256; ++i) full.push_back(std::string(i, static_cast<char>(i)));
  EXPECT_EQ(parse_bundle(bundle_data(full)), full);
  EXPECT_EQ(bundle_data(full).size(), 256u * 2 + 255u * 256 / 2);
}

TEST(Tiles, BundleRefusals) {
  EXPECT_THROW(bundle_data({std::string(65536, 'x')}), std::invalid_argument);
  EXPECT_THROW(bundle_data({}), std::invalid_argument);
  EXPECT_THROW(bundle_data(std::vector<std::string>(257, "e")), std::invalid_argument);
  EXPECT_THROW(parse_bundle(""), std::invalid_argument);
  EXPECT_THROW(parse_bundle(std::string(257 * 2, '\0')), std::invalid_argument);  // 257 empties

  // Cut anywhere, a bundle either ends on an entry boundary (and holds the entries before it)
  // or is refused.
  std::vector<std::string> entries = {"first", "", "third entry", std::string(300, 'z')};
  std::string data = bundle_data(entries);
  std::vector<std::size_t> boundaries;
  std::size_t at = 0;
  for (const std::string& e : entries) boundaries.push_back(at += 2 + e.size());
  for (std::size_t cut = 1; cut < data.size(); ++cut) {
    auto b = std::find(boundaries.begin(), boundaries.end(), cut);
    if (b == boundaries.end()) {
      EXPECT_THROW(parse_bundle(std::string_view(data).substr(0, cut)), std::invalid_argument)
          << cut;
    } else {
      std::vector<std::string> prefix(entries.begin(),
                                      entries.begin() + (b - boundaries.begin()) + 1);
      EXPECT_EQ(parse_bundle(std::string_view(data).substr(0, cut)), prefix) << cut;
    }
  }
  EXPECT_THROW(parse_bundle(data + std::string(1, '\0')), std::invalid_argument);
  EXPECT_THROW(parse_bundle(data + std::string("\x00\x02z", 3)), std::invalid_argument);
}

}  // namespace
}  // namespace rekap::tlog
