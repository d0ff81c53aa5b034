#include "server/app.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "crypto/encoding.hpp"
#include "ingest/rebuild.hpp"
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

  tlog::LogOptions log_options;
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
  log_ = std::make_unique<tlog::LogService>(
      *store_, read_secret_key((fs::path(data_dir) / kLogKeyFile).string()), std::move(log_options),
      frontier_.size(), frontier_.root());
  log_->start();
  results_ = std::make_unique<publish::ResultsCache>(
      *def_, *tally_, [this](int tps, Ballot b) { return tps_values(tps, b); }, publish_dir);
  results_->start(options.checkpoint_interval, ingest_);
  portal_ = std::make_unique<publish::Portal>(
      *def_, *tally_, *store_, *log_, *images_,
      publish::PortalOptions{options.web_dir, publish_dir, options.checkpoint_interval});
  portal_->start(ingest_);
  reports_ =
      std::make_unique<rekap::reports::Reports>(*def_, *store_, publish_dir, options.reports);
  open_data_ = std::make_unique<publish::OpenData>(
      *def_, *tally_, *store_, publish_dir, *origin,
      read_secret_key((fs::path(data_dir) / kLogKeyFile).string()), options.open_data);
  open_data_->start(ingest_);
  sequencer_ =
      std::make_unique<ingest::Sequencer>(*def_, *ledger_, frontier_, *store_, *images_, *tally_,
                                          [this](std::uint64_t size, const Hash32& root) {
                                            ingest_.stored();
                                            log_->committed(size, root);
                                          });
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
  ingest::RebuildStats stats = ingest::rebuild_state(*store_, *def_, *ledger_, frontier_, *tally_);
  spdlog::info("rebuilt state from {} stored statements ({} TPS x ballot results) in {} ms",
               stats.statements, stats.results, stats.took.count());
  if (ledger_->size() == 0) throw std::runtime_error("the log has no genesis entry");
}

}  // namespace rekap::server
