#pragma once
// The transparency log as the server runs it: signs checkpoints of the committed Merkle tree
// (C2SP tlog-checkpoint), serves the log's tiles and entry bundles (C2SP tlog-tiles), writes
// the immutable ones to the publish directory, and keeps the witnesses' cosignatures (which
// log/witness_pusher obtains) so that every node serves them.
#include <atomic>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "crypto/keys.hpp"
#include "log/merkle.hpp"
#include "log/note.hpp"
#include "log/tile_cache.hpp"
#include "store/store.hpp"
#include "util/worker.hpp"

namespace rekap::tlog {

// Reads stored tree hashes for the Merkle functions.
class StoreHashReader : public tlog::HashReader {
 public:
  explicit StoreHashReader(Store& store) : store_(store) {}
  std::vector<Hash32> read(int tile_level, std::uint64_t first, std::uint64_t count) override {
    return store_.read_hashes(tile_level, first, count);
  }

 private:
  Store& store_;
};

struct LogOptions {
  std::string origin;                     // the checkpoint's first line, also the key name
  std::string publish_dir;                // where immutable tiles and the checkpoint are written
  std::vector<tlog::Verifier> witnesses;  // whose cosignatures are accepted
  // With N > 0, /log/checkpoint serves only the newest checkpoint with at least N of their
  // cosignatures (and proofs are against it); with 0, the newest checkpoint with what it has.
  std::size_t quorum = 0;
  std::chrono::milliseconds interval{1000};  // how often a new checkpoint may be signed
  // Other nodes extend the log too: a stored checkpoint ahead of this node's tree is normal
  // at start, and is checked once the tree reaches it. Every node signs the same checkpoint
  // for the same tree (Ed25519 signatures are deterministic), and a node signs only trees it
  // followed from the store, so no two checkpoints disagree.
  bool shared = false;
};

// What a log route answers.
struct LogResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string cache_control;
  std::string body;
  bool gzip_ok = false;  // an entry bundle: may be sent compressed
};

class LogService {
 public:
  LogService(Store& store, SecretKey key, LogOptions options, std::uint64_t size,
             const Hash32& root);
  ~LogService();

  void start();
  void stop();
  // The sequencer calls this after each commit with the tree it now holds.
  void committed(std::uint64_t size, const Hash32& root);

  // GET /log/<rest>
  LogResponse get(std::string_view rest);
  // The newest checkpoint the log signed: its note with the log's signature only.
  std::string latest_note() const;
  // A witness's answer to add-checkpoint for `note` (a note latest_note gave): the cosignatures
  // of known witnesses that verify, with a timestamp other than 0, are kept, stored for the
  // other nodes, and served with the checkpoint. Returns how many were kept.
  std::size_t add_cosignatures(const std::string& note, std::string_view lines);

  std::string verifier_key() const;
  // The checkpoint served (note text with its signature and cosignatures); empty while a quorum
  // is asked for and no checkpoint has it yet.
  std::string checkpoint_text() const;
  // An inclusion proof of entry `index` in the tree of the checkpoint served.
  std::vector<Hash32> inclusion_proof(std::uint64_t index, std::uint64_t& tree_size);

 private:
  void loop();
  // A checkpoint and the witnesses' cosignature lines of it, by witness name.
  struct Cosigned {
    tlog::Checkpoint checkpoint;
    std::string note;  // with the log's signature
    std::map<std::string, std::string> lines;
    std::string text() const;
  };
  std::string checkpoint_text_locked() const;
  const Cosigned* served_locked() const;
  // The cosignatures of configured witnesses among the note's signatures; nullopt unless the
  // note is a checkpoint of this log that the log signed.
  std::optional<Cosigned> cosigned_in(const std::string& text) const;
  void adopt_locked(Cosigned cosigned);
  // Several nodes: the cosignatures the sequencer stored.
  void load_cosigned_locked();
  std::vector<std::string> entries(std::uint64_t first, std::uint64_t count);
  void sign_locked(std::unique_lock<std::mutex>& lock);
  // Throws unless the stored tree of `size` entries contains the checkpoint `cp`.
  void require_extends(const tlog::Checkpoint& cp, std::uint64_t size);
  void publish(std::uint64_t from, std::uint64_t to);
  LogResponse tile(std::string_view path);

  Store& store_;
  SecretKey key_;
  LogOptions options_;
  StoreHashReader reader_;
  tlog::TileCache proof_tiles_;  // for the many proofs the portal and the API give

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::uint64_t committed_size_ = 0;
  Hash32 committed_root_{};
  tlog::Checkpoint signed_;           // what the latest checkpoint says
  std::string signed_note_;           // its note text with the log's signature
  std::optional<Cosigned> cosigned_;  // the newest checkpoint that witnesses cosigned
  std::optional<Cosigned> quorate_;   // the newest with at least max(quorum, 1) cosignatures
  std::uint64_t published_size_ = 0;
  bool check_stored_ = false;  // the stored checkpoint is ahead: check it once the tree gets there
  Worker worker_{mutex_, wake_};
};

}  // namespace rekap::tlog
