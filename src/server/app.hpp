#pragma once
// One election's server state, opened from a data directory (the log key, the publish
// directory) and a store (the log, its state, the photos): the transparency log, and the
// ledger and totals rebuilt from the stored statements. Refuses a data directory and a store
// of different elections.
#include <functional>
#include <memory>
#include <string>

#include "core/definition.hpp"
#include "core/ledger.hpp"
#include "ingest/sequencer.hpp"
#include "log/log_service.hpp"
#include "log/merkle.hpp"
#include "log/witness_pusher.hpp"
#include "ocr/image_header.hpp"
#include "publish/opendata/open_data.hpp"
#include "publish/portal/portal.hpp"
#include "publish/results_cache.hpp"
#include "reports/reports.hpp"
#include "store/image_store.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::server {

// Creates an election: a data directory with a new log key (log.key, log.vkey), and the store
// (`store`: a PostgreSQL connection string, or empty for DIR/rekap.db) with the definition, the
// admin's and the log's public keys and the log's first entry, the genesis signed by the admin.
// Refuses a store that already holds an election, and a broken definition, before anything is
// written; `admin_key` is asked for only then.
void init_data_dir(const std::string& dir, const DefinitionFiles& files,
                   const std::function<SecretKey()>& admin_key, const std::string& origin = "",
                   const std::string& store = "");

struct AppOptions {
  // Where the log, its state and the photos are: a PostgreSQL connection string, shared by
  // every node of a deployment; empty: DATA/rekap.db and DATA/images on this machine.
  std::string store;
  // This node's name, in /api/v1/health and the log, when several nodes share the store.
  std::string node;
  std::string publish_dir;  // default: <data>/publish
  // Witnesses to push checkpoints to (c2sp.org/tlog-witness), each "<verifier key> <URL>", the
  // URL being the witness's submission prefix; and how many must cosign a checkpoint before it
  // is served (0: serve each at once, with the cosignatures it has).
  std::vector<std::string> witnesses;
  std::size_t witness_quorum = 0;
  std::chrono::milliseconds checkpoint_interval{1000};
  publish::OpenDataOptions open_data;
  std::string web_dir;  // the built portal (web/dist); empty: none
  reports::ReportOptions reports;
  // The largest photo accepted (width x height, read from its header before it is stored).
  std::uint64_t max_image_pixels = ocr::kDefaultMaxImagePixels;
};

class App {
 public:
  explicit App(const std::string& data_dir, AppOptions options = {});
  ~App();

  const Definition& def() const { return *def_; }
  Store& store() { return *store_; }
  const ImageStore& images() const { return *images_; }
  ImageStore& images() { return *images_; }
  ingest::Sequencer& sequencer() { return *sequencer_; }
  tlog::LogService& log() { return *log_; }
  const Tally& tally() const { return *tally_; }
  const DefinitionFiles& definition_files() const { return files_; }
  publish::ResultsCache& results() { return *results_; }
  publish::OpenData& open_data() { return *open_data_; }
  publish::Portal& portal() { return *portal_; }
  reports::Reports& reports() { return *reports_; }
  const std::string& node() const { return node_; }
  std::uint64_t max_image_pixels() const { return max_image_pixels_; }
  // The node that holds the sequencer's lease, as it last recorded itself; "" if unknown.
  std::string sequencer_node();
  // The log's size in the store (more than this node's state holds while it follows).
  std::uint64_t stored_size();
  // The values in force for a TPS and ballot, read from the store.
  std::optional<std::vector<std::uint32_t>> tps_values(int tps, Ballot b);

 private:
  void rebuild();

  std::string node_;
  std::uint64_t max_image_pixels_;
  std::unique_ptr<Store> store_;
  Coordination* coordination_ = nullptr;
  std::unique_ptr<ImageStore> images_;
  DefinitionFiles files_;
  std::unique_ptr<Definition> def_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Tally> tally_;
  tlog::Frontier frontier_;
  publish::IngestActivity ingest_;  // paces the publishers; outlives them
  std::unique_ptr<tlog::LogService> log_;
  std::unique_ptr<tlog::WitnessPusher> witness_pusher_;
  std::unique_ptr<publish::ResultsCache> results_;
  std::unique_ptr<ingest::Sequencer> sequencer_;
  std::unique_ptr<publish::OpenData> open_data_;
  std::unique_ptr<publish::Portal> portal_;
  std::unique_ptr<rekap::reports::Reports> reports_;
};

}  // namespace rekap::server
