#pragma once
// The log as C2SP tlog-tiles static resources (https://c2sp.org/tlog-tiles): hash tiles at
// tile/<L>/<N>[.p/<W>] and entry bundles at tile/entries/<N>[.p/<W>]. A hash tile at level L
// holds up to 256 consecutive hashes of tile level L (see merkle.hpp); a bundle holds the entries
// whose leaf hashes form the level-0 tile of the same index. Pure logic, no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "log/merkle.hpp"

namespace rekap::tlog {

struct TileRef {
  int level = 0;  // 0..63; ignored for entry bundles
  std::uint64_t index = 0;
  int width = 256;  // 1..256; 256 is a full tile, anything less a partial one
  bool entries = false;

  bool operator==(const TileRef&) const = default;
};

// The path below the log's prefix, e.g. "tile/0/000", "tile/1/x001/234.p/5",
// "tile/entries/x003/x456/789". Throws std::invalid_argument for a level or width out of range.
std::string tile_path(const TileRef& tile);
// The tile a path names, or nullopt for anything but the one canonical spelling: no leading
// zeros in the level or width, exactly three digits per index element with no leading "x000",
// a .p/ width of 1..255, levels 0..63.
std::optional<TileRef> parse_tile_path(std::string_view path);

// How many hashes the tile holds in the tree of tree_size leaves: 256 if full, 0 if it does not
// exist yet. Throws std::invalid_argument for a level outside 0..63.
int tile_width(int level, std::uint64_t index, std::uint64_t tree_size);
// The same for an entry bundle (its width is that of the level-0 tile).
int bundle_width(std::uint64_t index, std::uint64_t tree_size);

// The tile's content: its `width` hashes concatenated (32 * width bytes). Throws
// std::invalid_argument for a level, index or width out of range, and passes on the reader's
// errors.
std::string hash_tile_data(HashReader& reader, int level, std::uint64_t index, int width);

// An entry bundle: each entry as a big-endian uint16 length and its bytes. Throws
// std::invalid_argument unless there are 1..256 entries of at most 65535 bytes each.
std::string bundle_data(const std::vector<std::string>& entries);
// The entries of a bundle; throws std::invalid_argument if it is truncated, empty or holds more
// than 256 entries.
std::vector<std::string> parse_bundle(std::string_view data);

// Every hash tile, full and partial, that a tree of tree_size leaves has, by level then index
// (about tree_size / 255 of them).
std::vector<TileRef> tiles_for_size(std::uint64_t tree_size);

}  // namespace rekap::tlog
