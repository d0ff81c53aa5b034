#include "server/app.hpp"

#include <spdlog/spdlog.h>

#include <unistd.h>

#include <filesystem>

#include "client/http_client.hpp"
#include "crypto/encoding.hpp"
#include "ingest/rebuild.hpp"
#include "server/open_storage.hpp"
#include "store/stored_values.hpp"
#include "util/files.hpp"

namespace rekap::server {

namespace fs = std::filesystem;

namespace {
constexpr const char* kDbFile = "rekap.db";
constexpr const char* kLogKeyFile = "log.key";
constexpr const char* kAdminKeyMeta = "admin_key";
constexpr const char* kLogKeyMeta = "log_key";
constexpr const char* kSequencerMeta = "sequencer";
constexpr const char* kOriginMeta = "origin";

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "rekap";
  return name;
}

// The store's location: the option, or the SQLite file in the data directory.
std::string store_location(const fs::path& data, const std::string& store) {
  return store.empty() ? (data / kDbFile).string() : store;
}

// "<verifier key> <URL>": a witness, reached over HTTP with a keep-alive connection of its own.
tlog::WitnessEndpoint witness_endpoint(const std::string& spec) {
  const std::size_t space = spec.find(' ');
  auto key = tlog::parse_verifier_key(spec.substr(0, space));
  if (space == std::string::npos || !key || key->type != tlog::kSigCosignatureV1) {
    throw std::invalid_argument(
        "--witness takes \"<witness verifier key (cosignature/v1)> <URL>\", not: " + spec);
  }
  std::string url = spec.substr(space + 1);
  while (url.ends_with('/')) url.pop_back();
  auto client = std::make_shared<HttpClient>(Url::parse(url), std::chrono::seconds(10));
  auto post = [client](const std::string& body) {
    HttpResult r = client->request("POST", "/add-checkpoint", body, "text/plain; charset=utf-8");
    return tlog::WitnessReply{r.status, r.header("content-type"), r.body};
  };
  return {url, *key, post};
}

}  // namespace

void init_data_dir(const std::string& dir, const DefinitionFiles& files,
                   const std::function<SecretKey()>& admin_key, const std::string& origin,
                   const std::string& store) {
  const fs::path data(dir);
  if ((store.empty() && fs::exists(data / kDbFile)) || fs::exists(data / kLogKeyFile)) {
    throw std::runtime_error(dir + " already holds an election; use a new directory");
  }
  Definition def = build_definition(files);
  // SQLite's file goes in the directory; a database must be found empty before it is made.
  if (store.empty()) fs::create_directories(data);
  const std::string where = store_location(data, store);
  std::unique_ptr<Store> st = open_store(where, OpenMode::create);
  if (st->size() > 0) {
    const auto held = st->get_meta(kOriginMeta);
    throw std::runtime_error(store_name(where) + " already holds an election (log " +
                             held.value_or("?") + "); use a new database");
  }
  fs::create_directories(data);
  SecretKey admin = admin_key();
  std::string log_origin = origin.empty() ? "rekap.local/" + def.election_id : origin;
  SecretKey log_key = SecretKey::generate();
  write_key_files(log_key, (data / kLogKeyFile).string());
  // The log's verifier key, for auditors and witnesses to get from the operator, not the log.
  std::string vkey = tlog::verifier_key(log_origin, log_key.public_key());
  write_file_atomically(data / "log.vkey", vkey + "\n");

  Statement genesis;
  genesis.type = StatementType::genesis;
  genesis.election = def.election_id;
  genesis.time = utc_now();
  genesis.definition = def.hash;
  SignedStatement s = SignedStatement::sign(genesis, admin);
  Hash32 leaf = tlog::leaf_hash(s.log_entry());

  st->save_definition(files);
  st->put_meta(kAdminKeyMeta, to_base64(admin.public_key()));
  st->put_meta(kLogKeyMeta, to_base64(log_key.public_key()));
  st->put_meta(kOriginMeta, log_origin);
  // Last: the genesis makes the store an election's.
  st->append({{0, s.id, leaf, s.body, s.signature, "", -1, 0}}, {}, {});
  spdlog::info("initialised {} for election {} ({} regions, {} TPS, {} contests) in {}, log {}",
               dir, def.election_id, def.regions.size(), def.tps.size(), def.contests.size(),
               store_name(where), vkey);
}

App::App(const std::string& data_dir, AppOptions options)
    : max_image_pixels_(options.max_image_pixels) {
  const fs::path data(data_dir);
  if (options.store.empty() && !fs::exists(data / kDbFile)) {
    throw std::runtime_error(data_dir + " holds no election; run `rekap init --data " + data_dir +
                             " --def DEFDIR` first");
  }
  const fs::path key_file = data / kLogKeyFile;
  if (!fs::exists(key_file)) {
    throw std::runtime_error(key_file.string() +
                             " is missing: every node needs the log key that `rekap init` "
                             "made (docs/deployment.md)");
  }
  Storage storage = open_storage(store_location(data, options.store), (data / "images").string(),
                                 OpenMode::existing);
  store_ = std::move(storage.store);
  images_ = std::move(storage.images);
  coordination_ = storage.coordination;
  node_ = options.node.empty() ? host_name() : options.node;
  auto files = store_->load_definition();
  auto admin_text = store_->get_meta(kAdminKeyMeta);
  auto origin = store_->get_meta(kOriginMeta);
  if (store_->size() == 0 || !files || !admin_text || !origin) {
    throw std::runtime_error(storage.name + " holds no election; run `rekap init` first");
  }
  auto admin = parse_public_key(*admin_text);
  if (!admin) throw std::runtime_error(storage.name + ": the stored admin key is damaged");
  files_ = *files;
  def_ = std::make_unique<Definition>(build_definition(files_));
  const SecretKey log_key = read_secret_key(key_file.string());
  if (store_->get_meta(kLogKeyMeta) != to_base64(log_key.public_key())) {
    throw std::runtime_error(key_file.string() + " is not the log key of election " +
                             def_->election_id + " in " + storage.name +
                             ": the data directory and the store belong to different elections");
  }
  ledger_ = std::make_unique<Ledger>(*def_, *admin);
  tally_ = std::make_unique<Tally>(*def_);
  rebuild();

  tlog::LogOptions log_options;
  log_options.origin = *origin;
  std::string publish_dir =
      options.publish_dir.empty() ? (data / "publish").string() : options.publish_dir;
  log_options.publish_dir = publish_dir;
  log_options.interval = options.checkpoint_interval;
  log_options.shared = coordination_ != nullptr;
  std::vector<tlog::WitnessEndpoint> witnesses;
  for (const auto& spec : options.witnesses) {
    witnesses.push_back(witness_endpoint(spec));
    log_options.witnesses.push_back(witnesses.back().key);
  }
  if (options.witness_quorum > witnesses.size()) {
    throw std::invalid_argument("a quorum of " + std::to_string(options.witness_quorum) +
                                " witnesses, but only " + std::to_string(witnesses.size()) +
                                " are configured");
  }
  log_options.quorum = options.witness_quorum;
  log_ = std::make_unique<tlog::LogService>(*store_, log_key, std::move(log_options),
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
  open_data_ = std::make_unique<publish::OpenData>(*def_, *tally_, *store_, publish_dir, *origin,
                                                   log_key, options.open_data);
  open_data_->start(ingest_);
  sequencer_ = std::make_unique<ingest::Sequencer>(
      *def_, *ledger_, frontier_, *store_, *images_, *tally_,
      [this](std::uint64_t size, const Hash32& root) {
        ingest_.stored();
        log_->committed(size, root);
      },
      coordination_);
  sequencer_->on_lead([this] { store_->put_meta(kSequencerMeta, node_); });
  sequencer_->start();
  // Only the sequencer pushes (every node signs the same checkpoints); the other nodes get the
  // cosignatures through the store.
  witness_pusher_ = std::make_unique<tlog::WitnessPusher>(
      *log_, *store_, std::move(witnesses), [this] { return sequencer_->stats().sequencing; },
      options.checkpoint_interval);
  witness_pusher_->start();
}

std::string App::sequencer_node() {
  if (!coordination_) return node_;
  return store_->get_meta(kSequencerMeta).value_or("");
}

std::uint64_t App::stored_size() {
  return coordination_ ? coordination_->refresh_size() : store_->size();
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
  if (witness_pusher_) witness_pusher_->stop();
  if (sequencer_) sequencer_->stop();
  // After the sequencer: the open data's last export and archive show every committed result.
  if (open_data_) open_data_->stop();
  if (log_) log_->stop();
}

void App::rebuild() {
  // Several nodes: only as far as the log is durable; the sequencer's first step goes on.
  const std::uint64_t end = coordination_ ? coordination_->refresh_size() : store_->size();
  ingest::RebuildStats stats =
      ingest::rebuild_state(*store_, *def_, *ledger_, frontier_, *tally_, end);
  spdlog::info("rebuilt state from {} stored statements ({} TPS x ballot results) in {} ms",
               stats.statements, stats.results, stats.took.count());
  if (ledger_->size() == 0) throw std::runtime_error("the log has no genesis entry");
}

}  // namespace rekap::server
