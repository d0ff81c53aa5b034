#include "server/app.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "crypto/encoding.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/stored_values.hpp"
#include "util/files.hpp"

namespace rekap::server {

namespace fs = std::filesystem;

namespace {
constexpr const char* kDbFile = "rekap.db";
constexpr const char* kLogKeyFile = "log.key";
constexpr const char* kAdminKeyMeta = "admin_key";
constexpr const char* kOriginMeta = "origin";
}  // namespace

void init_data_dir(const std::string& dir, const DefinitionFiles& files,
                   const std::function<SecretKey()>& admin_key, const std::string& origin) {
  fs::path db = fs::path(dir) / kDbFile;
  if (fs::exists(db)) {
    throw std::runtime_error(dir + " already holds an election; use a new directory");
  }
  Definition def = build_definition(files);
  fs::create_directories(dir);
  SecretKey admin = admin_key();
  std::string log_origin = origin.empty() ? "rekap.local/" + def.election_id : origin;
  SecretKey log_key = SecretKey::generate();
  write_key_files(log_key, (fs::path(dir) / kLogKeyFile).string());
  // The log's verifier key, for auditors and witnesses to get from the operator, not the log.
  std::string vkey = tlog::verifier_key(log_origin, log_key.public_key());
  write_file_atomically(fs::path(dir) / "log.vkey", vkey + "\n");

  Statement genesis;
  genesis.type = StatementType::genesis;
  genesis.election = def.election_id;
  genesis.time = utc_now();
  genesis.definition = def.hash;
  SignedStatement s = SignedStatement::sign(genesis, admin);
  Hash32 leaf = tlog::leaf_hash(s.log_entry());

  auto store = SqliteStore::open(db.string());
  store->save_definition(files);
  store->put_meta(kAdminKeyMeta, to_base64(admin.public_key()));
  store->put_meta(kOriginMeta, log_origin);
  store->append({{0, s.id, leaf, s.body, s.signature, "", -1, 0}}, {}, {});
  spdlog::info("initialised {} for election {} ({} regions, {} TPS, {} contests), log {}", dir,
               def.election_id, def.regions.size(), def.tps.size(), def.contests.size(), vkey);
}

App::App(const std::string& data_dir, AppOptions options) {
  fs::path db = fs::path(data_dir) / kDbFile;
  if (!fs::exists(db)) {
    throw std::runtime_error(data_dir + " holds no election; run `rekap init --data " + data_dir +
                             " --def DEFDIR` first");
  }
  store_ = SqliteStore::open(db.string());
  images_ = std::make_unique<ImageStore>((fs::path(data_dir) / "images").string());
  auto files = store_->load_definition();
  auto admin_text = store_->get_meta(kAdminKeyMeta);
  auto origin = store_->get_meta(kOriginMeta);
  if (!files || !admin_text || !origin) {
    throw std::runtime_error(db.string() + " has no election definition");
  }
  auto admin = parse_public_key(*admin_text);
  if (!admin) throw std::runtime_error(db.string() + ": the stored admin key is damaged");
  files_ = *files;
  def_ = std::make_unique<Definition>(build_definition(files_));
  ledger_ = std::make_unique<Ledger>(*def_, *admin);
  tally_ = std::make_unique<Tally>(*def_);
  rebuild();

  LogOptions log_options;
  log_options.origin = *origin;
  std::string publish_dir =
      options.publish_dir.empty() ? (fs::path(data_dir) / "publish").string() : options.publish_dir;
  log_options.publish_dir = publish_dir;
  log_options.interval = options.checkpoint_interval;
  for (const auto& key : options.witness_keys) {
    auto v = tlog::parse_verifier_key(key);
    if (!v) throw std::invalid_argument("not a witness verifier key: " + key);
    log_options.witnesses.push_back(*v);
  }
  log_ = std::make_unique<LogService>(*store_,
                                      read_secret_key((fs::path(data_dir) / kLogKeyFile).string()),
                                      std::move(log_options), frontier_.size(), frontier_.root());
  log_->start();
  results_ = std::make_unique<ResultsCache>(
      *def_, *tally_, tally_lock_, [this](int tps, Ballot b) { return tps_values(tps, b); },
      publish_dir);
  results_->start(options.checkpoint_interval);
  portal_ = std::make_unique<Portal>(
      *def_, *tally_, tally_lock_, *store_, *log_, *images_,
      PortalOptions{options.web_dir, publish_dir, options.checkpoint_interval});
  portal_->start();
  reports_ = std::make_unique<Reports>(*def_, *store_, publish_dir, options.reports);
  open_data_ = std::make_unique<OpenData>(
      *def_, *tally_, tally_lock_, *store_, publish_dir, *origin,
      read_secret_key((fs::path(data_dir) / kLogKeyFile).string()), options.open_data);
  open_data_->start();
  sequencer_ = std::make_unique<Sequencer>(
      *def_, *ledger_, frontier_, *store_, *images_, *tally_, tally_lock_,
      [this](std::uint64_t size, const Hash32& root) { log_->committed(size, root); });
  sequencer_->start();
}

std::optional<std::vector<std::uint32_t>> App::tps_values(int tps, Ballot b) {
  for (const CurrentUpdate& cu : store_->current_of(def_->tps[std::size_t(tps)].code)) {
    if (cu.ballot == int(b)) return stored_values(*store_, *def_, cu.index);
  }
  return std::nullopt;
}

App::~App() {
  if (portal_) portal_->stop();
  if (results_) results_->stop();
  if (sequencer_) sequencer_->stop();
  // After the sequencer: the open data's last export and archive show every committed result.
  if (open_data_) open_data_->stop();
  if (log_) log_->stop();
}

void App::rebuild() {
  auto started = std::chrono::steady_clock::now();
  auto trust_images = [](const Hash32&) { return true; };  // they were checked on arrival
  std::uint64_t results = 0;
  // One pass in log order, as when the statements arrived. Decoding and hashing, the costly
  // part, run on every core a batch at a time; the ledger and totals then take them in order.
  std::vector<StoredStatement> batch;
  std::vector<SignedStatement> decoded;
  auto process = [&] {
    decoded.assign(batch.size(), {});
    std::vector<std::string> errors(batch.size());
    auto work = [&](std::size_t from, std::size_t step) {
      for (std::size_t i = from; i < batch.size(); i += step) {
        const StoredStatement& row = batch[i];
        try {
          decoded[i].statement = decode_statement(row.body);
          decoded[i].id = row.id;
          // The tree is recomputed from the entries themselves: a changed byte shows here.
          if (tlog::leaf_hash(log_entry(row.body, row.signature)) != row.leaf ||
              sha256(row.body) != row.id) {
            errors[i] = "does not match its hashes: the store has been altered";
          }
        } catch (const StatementError& e) {
          errors[i] = e.what();
        }
      }
    };
    std::size_t threads = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
    work(0, threads);
    for (auto& t : pool) t.join();
    for (std::size_t i = 0; i < batch.size(); ++i) {
      const StoredStatement& row = batch[i];
      if (!errors[i].empty()) {
        throw std::runtime_error("stored statement " + std::to_string(row.index) + " " + errors[i]);
      }
      std::vector<tlog::StoredNode> completed;
      frontier_.append(row.leaf, completed);
      Decision d = ledger_->decide(decoded[i], trust_images);
      if (!d.accepted() || d.index != row.index) {
        throw std::runtime_error("stored statement " + std::to_string(row.index) +
                                 " does not replay: " + d.message);
      }
      ledger_->apply(decoded[i], d);
      if (d.tps < 0) continue;
      // Superseding is rare (corrections, re-read forms): the old numbers are read back then.
      std::vector<std::uint32_t> previous;
      if (d.superseded) {
        previous = stored_values(*store_, *def_, *d.superseded);
      } else {
        ++results;
      }
      tally_->replace(d.tps, decoded[i].statement.ballot, previous, d.values);
    }
    batch.clear();
  };
  store_->scan(0, [&](const StoredStatement& row) {
    batch.push_back(row);
    if (batch.size() == 4096) process();
  });
  process();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                  started)
                .count();
  spdlog::info("rebuilt state from {} stored statements ({} TPS x ballot results) in {} ms",
               ledger_->size(), results, ms);
  if (ledger_->size() == 0) throw std::runtime_error("the log has no genesis entry");
}

}  // namespace rekap::server
