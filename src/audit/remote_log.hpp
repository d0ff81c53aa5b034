#pragma once
// A transparency log seen from outside, through its public HTTP interface only: the signed
// checkpoint, hash tiles and entry bundles (C2SP tlog-tiles). Used by auditors and witnesses.
#include <map>
#include <string>
#include <vector>

#include "client/http_client.hpp"
#include "log/merkle.hpp"
#include "log/note.hpp"
#include "log/tiles.hpp"

namespace rekap::audit {

class AuditError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct SignedCheckpoint {
  std::string text;  // the whole note as served
  tlog::Note note;
  tlog::Checkpoint checkpoint;
};

class RemoteLog {
 public:
  explicit RemoteLog(const std::string& url);

  // The log's key as it publishes it at /log/key (for trust on first use).
  std::string published_key();
  // Fetches /log/checkpoint and checks the log's signature; throws AuditError naming the fault.
  SignedCheckpoint checkpoint(const tlog::Verifier& log_key);
  // The raw bytes of a tile, or throws AuditError.
  std::string tile(const tlog::TileRef& ref);
  // Entries [index*256, index*256 + width) of the bundle, checked to be exactly `width`.
  std::vector<std::string> bundle(std::uint64_t index, int width);
  HttpClient& client() { return client_; }

 private:
  std::string fetch(const std::string& path);
  HttpClient client_;
};

// Reads a tree's hashes from the log's hash tiles, for a tree of a given size.
class TileHashReader : public tlog::HashReader {
 public:
  TileHashReader(RemoteLog& log, std::uint64_t tree_size) : log_(log), size_(tree_size) {}
  std::vector<Hash32> read(int tile_level, std::uint64_t first, std::uint64_t count) override;

 private:
  RemoteLog& log_;
  std::uint64_t size_;
  std::map<std::pair<int, std::uint64_t>, std::string> tiles_;
};

}  // namespace rekap::audit
