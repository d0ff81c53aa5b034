#include "log/tiles.hpp"

#include <stdexcept>

namespace rekap::tlog {

namespace {

constexpr int kTileWidth = 256;
constexpr int kMaxLevel = 63;
constexpr std::size_t kMaxEntry = 65535;

std::string three_digits(std::uint64_t n) {
  return {static_cast<char>('0' + n / 100), static_cast<char>('0' + n / 10 % 10),
          static_cast<char>('0' + n % 10)};
}

bool is_digits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// A decimal written the one canonical way (no sign, no leading zero), between lo and hi.
std::optional<int> parse_decimal(std::string_view s, int lo, int hi) {
  if (s.empty() || s.size() > 3 || !is_digits(s) || (s.size() > 1 && s[0] == '0')) {
    return std::nullopt;
  }
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  if (v < lo || v > hi) return std::nullopt;
  return v;
}

std::vector<std::string_view> split_path(std::string_view s) {
  std::vector<std::string_view> parts;
  for (;;) {
    std::size_t slash = s.find('/');
    parts.push_back(s.substr(0, slash));
    if (slash == std::string_view::npos) return parts;
    s.remove_prefix(slash + 1);
  }
}

// <N>: three-digit groups, most significant first, all but the last prefixed with "x"; the
// first group of several is never x000, so that every index has one spelling.
std::optional<std::uint64_t> parse_index(const std::vector<std::string_view>& groups) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < groups.size(); ++i) {
    std::string_view g = groups[i];
    bool last = i + 1 == groups.size();
    if (!last) {
      if (g.size() != 4 || g[0] != 'x') return std::nullopt;
      g.remove_prefix(1);
    }
    if (g.size() != 3 || !is_digits(g)) return std::nullopt;
    std::uint64_t v =
        static_cast<std::uint64_t>((g[0] - '0') * 100 + (g[1] - '0') * 10 + (g[2] - '0'));
    if (i == 0 && !last && v == 0) return std::nullopt;
    if (n > (UINT64_MAX - v) / 1000) return std::nullopt;
    n = n * 1000 + v;
  }
  return n;
}

}  // namespace

std::string tile_path(const TileRef& tile) {
  if (tile.width < 1 || tile.width > kTileWidth) {
    throw std::invalid_argument("tile width out of range");
  }
  if (!tile.entries && (tile.level < 0 || tile.level > kMaxLevel)) {
    throw std::invalid_argument("tile level out of range");
  }
  std::uint64_t n = tile.index;
  std::string index = three_digits(n % 1000);
  while (n >= 1000) {
    n /= 1000;
    index = "x" + three_digits(n % 1000) + "/" + index;
  }
  std::string path = "tile/";
  path += tile.entries ? std::string("entries") : std::to_string(tile.level);
  path += "/" + index;
  if (tile.width < kTileWidth) path += ".p/" + std::to_string(tile.width);
  return path;
}

std::optional<TileRef> parse_tile_path(std::string_view path) {
  constexpr std::string_view kPrefix = "tile/";
  if (!path.starts_with(kPrefix)) return std::nullopt;
  std::vector<std::string_view> parts = split_path(path.substr(kPrefix.size()));
  if (parts.size() < 2) return std::nullopt;

  TileRef tile;
  if (parts[0] == "entries") {
    tile.entries = true;
  } else {
    std::optional<int> level = parse_decimal(parts[0], 0, kMaxLevel);
    if (!level) return std::nullopt;
    tile.level = *level;
  }
  std::vector<std::string_view> groups(parts.begin() + 1, parts.end());
  if (groups.size() >= 2 && groups[groups.size() - 2].ends_with(".p")) {
    std::optional<int> width = parse_decimal(groups.back(), 1, kTileWidth - 1);
    if (!width) return std::nullopt;
    tile.width = *width;
    groups.pop_back();
    groups.back().remove_suffix(2);
  }
  std::optional<std::uint64_t> index = parse_index(groups);
  if (!index) return std::nullopt;
  tile.index = *index;
  return tile;
}

int tile_width(int level, std::uint64_t index, std::uint64_t tree_size) {
  if (level < 0 || level > kMaxLevel) throw std::invalid_argument("tile level out of range");
  // Tile level 8 and above would hold subtrees of 2^64 leaves or more.
  if (level >= 8) return 0;
  std::uint64_t hashes = tree_size >> (8 * level);
  std::uint64_t full_tiles = hashes / kTileWidth;
  if (index < full_tiles) return kTileWidth;
  if (index == full_tiles) return static_cast<int>(hashes % kTileWidth);
  return 0;
}

int bundle_width(std::uint64_t index, std::uint64_t tree_size) {
  return tile_width(0, index, tree_size);
}

std::string hash_tile_data(HashReader& reader, int level, std::uint64_t index, int width) {
  if (level < 0 || level > kMaxLevel || width < 1 || width > kTileWidth ||
      index > UINT64_MAX / kTileWidth) {
    throw std::invalid_argument("tile out of range");
  }
  std::vector<Hash32> hashes = reader.read(level, index * kTileWidth, width);
  // A short read would otherwise publish a malformed, immutable tile.
  if (hashes.size() != static_cast<std::size_t>(width)) {
    throw std::runtime_error("hash reader returned a short read");
  }
  std::string data;
  data.reserve(hashes.size() * 32);
  for (const Hash32& h : hashes) data.append(h.begin(), h.end());
  return data;
}

std::string bundle_data(const std::vector<std::string>& entries) {
  if (entries.empty() || entries.size() > kTileWidth) {
    throw std::invalid_argument("a bundle holds 1 to 256 entries");
  }
  std::string data;
  for (const std::string& e : entries) {
    if (e.size() > kMaxEntry) throw std::invalid_argument("entry longer than 65535 bytes");
    data.push_back(static_cast<char>(e.size() >> 8));
    data.push_back(static_cast<char>(e.size() & 0xff));
    data += e;
  }
  return data;
}

std::vector<std::string> parse_bundle(std::string_view data) {
  std::vector<std::string> entries;
  while (!data.empty()) {
    if (entries.size() == kTileWidth) throw std::invalid_argument("bundle of over 256 entries");
    if (data.size() < 2) throw std::invalid_argument("bundle truncated in a length");
    std::size_t n = static_cast<std::size_t>(static_cast<unsigned char>(data[0])) << 8 |
                    static_cast<unsigned char>(data[1]);
    data.remove_prefix(2);
    if (data.size() < n) throw std::invalid_argument("bundle truncated in an entry");
    entries.emplace_back(data.substr(0, n));
    data.remove_prefix(n);
  }
  if (entries.empty()) throw std::invalid_argument("empty bundle");
  return entries;
}

std::vector<TileRef> tiles_for_size(std::uint64_t tree_size) {
  std::vector<TileRef> tiles;
  for (int level = 0; level < 8; ++level) {
    std::uint64_t hashes = tree_size >> (8 * level);
    if (hashes == 0) break;
    for (std::uint64_t i = 0; i < hashes / kTileWidth; ++i) tiles.push_back({level, i});
    if (int partial = static_cast<int>(hashes % kTileWidth); partial != 0) {
      tiles.push_back({level, hashes / kTileWidth, partial});
    }
  }
  return tiles;
}

}  // namespace rekap::tlog
