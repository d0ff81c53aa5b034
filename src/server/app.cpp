#include "server/app.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>

#include "crypto/encoding.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace rekap::server {

namespace fs = std::filesystem;

namespace {
constexpr const char* kDbFile = "rekap.db";
constexpr const char* kAdminKeyMeta = "admin_key";

}  // namespace

void init_data_dir(const std::string& dir, const DefinitionFiles& files,
                   const std::function<PublicKey()>& admin_key) {
  fs::path db = fs::path(dir) / kDbFile;
  if (fs::exists(db)) {
    throw std::runtime_error(dir + " already holds an election; use a new directory");
  }
  Definition def = build_definition(files);
  fs::create_directories(dir);
  PublicKey admin = admin_key();
  auto store = SqliteStore::open(db.string());
  store->save_definition(files);
  store->put_meta(kAdminKeyMeta, to_base64(admin));
  spdlog::info("initialised {} for election {} ({} regions, {} TPS, {} contests)", dir,
               def.election_id, def.regions.size(), def.tps.size(), def.contests.size());
}

App::App(const std::string& data_dir) {
  fs::path db = fs::path(data_dir) / kDbFile;
  if (!fs::exists(db)) {
    throw std::runtime_error(data_dir + " holds no election; run `rekap init --data " + data_dir +
                             " --def DEFDIR` first");
  }
  store_ = SqliteStore::open(db.string());
  images_ = std::make_unique<ImageStore>((fs::path(data_dir) / "images").string());
  auto files = store_->load_definition();
  auto admin_text = store_->get_meta(kAdminKeyMeta);
  if (!files || !admin_text) throw std::runtime_error(db.string() + " has no election definition");
  auto admin = parse_public_key(*admin_text);
  if (!admin) throw std::runtime_error(db.string() + ": the stored admin key is damaged");
  def_ = std::make_unique<Definition>(build_definition(*files));
  definition_hash_ = rekap::definition_hash(*files);
  ledger_ = std::make_unique<Ledger>(*def_, *admin);
  tally_ = std::make_unique<Tally>(*def_);
  rebuild();
  sequencer_ =
      std::make_unique<Sequencer>(*def_, *ledger_, *store_, *images_, *tally_, tally_lock_);
  sequencer_->start();
}

App::~App() {
  if (sequencer_) sequencer_->stop();
}

void App::rebuild() {
  auto started = std::chrono::steady_clock::now();
  // Pass 1: the ledger, in log order, as when the statements arrived. Images were checked then.
  auto trust_images = [](const Hash32&) { return true; };
  store_->scan(0, [&](const StoredStatement& row) {
    SignedStatement s;
    s.statement = decode_statement(row.body);
    s.id = row.id;
    Decision d = ledger_->decide(s, trust_images);
    if (!d.accepted() || d.index != row.index) {
      throw std::runtime_error("stored statement " + std::to_string(row.index) +
                               " does not replay: " + d.message);
    }
    ledger_->apply(s, d);
  });
  // Pass 2: add the results in force to the totals.
  std::uint64_t results = 0;
  store_->scan(0, [&](const StoredStatement& row) {
    if (row.tps.empty()) return;
    int tps = def_->find_tps(row.tps);
    Ballot b = Ballot(row.ballot);
    if (ledger_->current(tps, b).index != row.index || ledger_->current(tps, b).rev == 0) return;
    Statement st = decode_statement(row.body);
    std::string why;
    auto values = values_for_layout(def_->contests[def_->tps[tps].contest[row.ballot]].layout,
                                    st.values, why);
    if (!values)
      throw std::runtime_error("stored statement " + std::to_string(row.index) + ": " + why);
    tally_->replace(tps, b, {}, *values);
    ++results;
  });
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  spdlog::info("rebuilt state from {} stored statements ({} results in force) in {} ms",
               ledger_->size(), results, ms);
}

}  // namespace rekap::server
