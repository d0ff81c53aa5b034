#pragma once
// One election's server state, opened from a data directory: the store, the photos, the
// transparency log, and the ledger and totals rebuilt from the stored statements.
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>

#include "core/definition.hpp"
#include "core/ledger.hpp"
#include "log/merkle.hpp"
#include "server/log_service.hpp"
#include "server/open_data.hpp"
#include "server/portal.hpp"
#include "server/reports.hpp"
#include "server/results_cache.hpp"
#include "server/sequencer.hpp"
#include "store/image_store.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::server {

// Creates a data directory for an election: the store with the definition, the admin's public
// key, a new log key (log.key) and the log's first entry, the genesis signed by the admin.
// Refuses a directory that already holds an election, and a broken definition, before anything
// is written; `admin_key` is asked for only then.
void init_data_dir(const std::string& dir, const DefinitionFiles& files,
                   const std::function<SecretKey()>& admin_key, const std::string& origin = "");

struct AppOptions {
  std::string publish_dir;                // default: <data>/publish
  std::vector<std::string> witness_keys;  // verifier keys whose cosignatures are accepted
  std::chrono::milliseconds checkpoint_interval{1000};
  OpenDataOptions open_data;
  std::string web_dir;  // the built portal (web/dist); empty: none
  ReportOptions reports;
};

class App {
 public:
  explicit App(const std::string& data_dir, AppOptions options = {});
  ~App();

  const Definition& def() const { return *def_; }
  Store& store() { return *store_; }
  const ImageStore& images() const { return *images_; }
  ImageStore& images() { return *images_; }
  Sequencer& sequencer() { return *sequencer_; }
  LogService& log() { return *log_; }
  // Readers of the totals hold this shared; the sequencer holds it exclusively to update them.
  std::shared_mutex& tally_lock() { return tally_lock_; }
  const Tally& tally() const { return *tally_; }
  const DefinitionFiles& definition_files() const { return files_; }
  ResultsCache& results() { return *results_; }
  OpenData& open_data() { return *open_data_; }
  Portal& portal() { return *portal_; }
  Reports& reports() { return *reports_; }
  // The values in force for a TPS and ballot, read from the store.
  std::optional<std::vector<std::uint32_t>> tps_values(int tps, Ballot b);

 private:
  void rebuild();

  std::unique_ptr<Store> store_;
  std::unique_ptr<ImageStore> images_;
  DefinitionFiles files_;
  std::unique_ptr<Definition> def_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Tally> tally_;
  tlog::Frontier frontier_;
  std::shared_mutex tally_lock_;
  IngestActivity ingest_;  // paces the publishers; outlives them
  std::unique_ptr<LogService> log_;
  std::unique_ptr<ResultsCache> results_;
  std::unique_ptr<Sequencer> sequencer_;
  std::unique_ptr<OpenData> open_data_;
  std::unique_ptr<Portal> portal_;
  std::unique_ptr<Reports> reports_;
};

}  // namespace rekap::server
