#include "audit/verify.hpp"

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

#include "audit/compare.hpp"
#include "audit/remote_log.hpp"
#include "core/ledger.hpp"
#include "crypto/encoding.hpp"
#include "tally/state_step.hpp"
#include "tally/tally.hpp"
#include "util/files.hpp"

namespace rekap::audit {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

constexpr std::size_t kMaxProblems = 50;

// One decoded entry, or why it could not be.
struct Decoded {
  std::optional<SignedStatement> statement;
  std::string error;
};

std::vector<Decoded> decode_all(const std::vector<std::string>& entries, int threads) {
  std::vector<Decoded> out(entries.size());
  auto work = [&](std::size_t from, std::size_t to) {
    for (std::size_t i = from; i < to; ++i) {
      try {
        out[i].statement = SignedStatement::from_log_entry(entries[i]);
      } catch (const std::exception& e) {
        out[i].error = e.what();
      }
    }
  };
  std::size_t n = std::max(1, threads);
  std::vector<std::thread> pool;
  std::size_t chunk = (entries.size() + n - 1) / n;
  for (std::size_t t = 1; t < n; ++t) {
    std::size_t from = std::min(entries.size(), t * chunk),
                to = std::min(entries.size(), from + chunk);
    pool.emplace_back(work, from, to);
  }
  work(0, std::min(entries.size(), chunk));
  for (auto& t : pool) t.join();
  return out;
}

// Replays entries through the server's own rules and totals, from the genesis on.
class Replay {
 public:
  explicit Replay(HttpClient& client) : client_(client) {}

  // Returns a problem, or "" when the entry is accepted as the server accepted it.
  std::string apply(std::uint64_t index, const SignedStatement& s) {
    const Statement& st = s.statement;
    if (index == 0) {
      if (st.type != StatementType::genesis) return "entry 0 is not the genesis";
      start(st);
    }
    auto trust_images = [](const Hash32&) { return true; };
    auto superseded = [this](std::uint64_t, int tps, Ballot b) {
      return values_.at({tps, int(b)});
    };
    StateStep step = step_state(*ledger_, s, trust_images, superseded);
    const Decision& d = step.decision;
    if (!d.accepted()) {
      return "entry " + std::to_string(index) + " (" + std::string(statement_type_name(st.type)) +
             (st.tps.empty() ? "" : " TPS " + st.tps) + ") breaks the rules: " + d.code + ": " +
             d.message;
    }
    if (d.index != index) return "entry " + std::to_string(index) + " is out of place";
    if (step.change) {
      tally_->apply({&*step.change, 1});
      values_[{d.tps, int(st.ballot)}] = std::move(step.change->current);
    }
    return "";
  }

  bool started() const { return ledger_ != nullptr; }
  const Definition& def() const { return *def_; }
  const Tally& tally() const { return *tally_; }
  std::uint64_t results() const { return values_.size(); }
  std::optional<std::vector<std::uint32_t>> values(int tps, Ballot b) const {
    auto it = values_.find({tps, int(b)});
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

 private:
  void start(const Statement& genesis) {
    DefinitionFiles files;
    for (const char* name : kDefinitionFileNames) {
      auto res = client_.get(std::string("/api/v1/definition/") + name);
      if (res.status != 200) {
        throw AuditError(std::string("GET /api/v1/definition/") + name + " answered HTTP " +
                         std::to_string(res.status));
      }
      files[name] = std::move(res.body);
    }
    if (definition_hash(files) != genesis.definition) {
      throw AuditError("the definition files served (sha256 " + to_hex(definition_hash(files)) +
                       ") are not the ones the genesis entry binds (" + to_hex(genesis.definition) +
                       ")");
    }
    def_ = std::make_unique<Definition>(build_definition(files));
    ledger_ = std::make_unique<Ledger>(*def_, genesis.signer);
    tally_ = std::make_unique<Tally>(*def_);
  }

  HttpClient& client_;
  std::unique_ptr<Definition> def_;
  std::unique_ptr<Ledger> ledger_;
  std::unique_ptr<Tally> tally_;
  std::map<std::pair<int, int>, std::vector<std::uint32_t>> values_;  // results in force
};

}  // namespace

VerifyReport verify(const VerifyOptions& options) {
  auto started = std::chrono::steady_clock::now();
  VerifyReport report;
  auto problem = [&](std::string what) {
    if (report.problems.size() < kMaxProblems) report.problems.push_back(std::move(what));
  };
  fs::path state = options.state_dir;
  RemoteLog log(options.url);
  try {
    report.log_key = options.log_key;
    if (report.log_key.empty() && !state.empty())
      report.log_key = read_file(state / "log.vkey").value_or("");
    if (report.log_key.empty()) {
      report.log_key = log.published_key();
      report.key_from_log = true;
    }
    auto verifier = tlog::parse_verifier_key(report.log_key);
    if (!verifier) throw AuditError("not a verifier key: " + report.log_key);
    SignedCheckpoint now = log.checkpoint(*verifier);
    std::uint64_t n = now.checkpoint.size;
    report.tree_size = n;

    std::optional<tlog::Checkpoint> previous;
    if (!state.empty()) {
      if (auto text = read_file(state / "checkpoint")) {
        previous = tlog::parse_checkpoint_body(tlog::parse_note(*text).text);
        if (!previous)
          throw AuditError("the saved checkpoint in " + state.string() + " is damaged");
        report.previous_size = previous->size;
        if (previous->size > n) {
          throw AuditError("the log shrank: an earlier run saw " + std::to_string(previous->size) +
                           " entries, the checkpoint now says " + std::to_string(n));
        }
      }
    }

    tlog::MemoryHashReader tree;
    Replay replay(log.client());
    bool replaying = true;
    for (std::uint64_t b = 0; b * 256 < n; ++b) {
      int width = tlog::bundle_width(b, n);
      std::vector<std::string> entries;
      fs::path cached = state.empty() ? fs::path() : state / "bundles" / std::to_string(b);
      std::optional<std::string> data =
          width == 256 && !state.empty() ? read_file(cached) : std::nullopt;
      if (data) {
        entries = tlog::parse_bundle(*data);
        ++report.bundles_cached;
      } else {
        entries = log.bundle(b, width);
        ++report.bundles_fetched;
        if (width == 256 && !state.empty())
          write_file_atomically(cached, tlog::bundle_data(entries));
      }
      for (const auto& e : entries) tree.append(tlog::leaf_hash(e));
      if (!replaying) continue;
      auto decoded = decode_all(entries, options.threads);
      for (std::size_t i = 0; i < decoded.size() && replaying; ++i) {
        std::uint64_t index = b * 256 + i;
        if (auto r = options.receipts.find(index); r != options.receipts.end()) {
          ++report.receipts_checked;
          if (!decoded[i].statement || decoded[i].statement->id != r->second) {
            problem("the statement acknowledged at index " + std::to_string(index) + " (id " +
                    to_hex(r->second) + ") is not the log's entry there");
          }
        }
        std::string why = decoded[i].statement
                              ? replay.apply(index, *decoded[i].statement)
                              : "entry " + std::to_string(index) + ": " + decoded[i].error;
        if (!why.empty()) {
          problem(why + " (replay stops here)");
          replaying = false;
        } else {
          ++report.statements_replayed;
        }
      }
    }
    for (auto r = options.receipts.lower_bound(n); r != options.receipts.end(); ++r) {
      problem("the statement acknowledged at index " + std::to_string(r->first) + " (id " +
              to_hex(r->second) + ") is beyond the log's " + std::to_string(n) + " entries");
    }
    Hash32 root = tlog::tree_root(tree, n);
    if (root != now.checkpoint.root) {
      problem("the entries hash to root " + to_base64(root) + ", the signed checkpoint says " +
              to_base64(now.checkpoint.root));
    }
    if (previous && tlog::tree_root(tree, previous->size) != previous->root) {
      problem("the log rewrote history: its first " + std::to_string(previous->size) +
              " entries no longer hash to the root an earlier run saw (" +
              to_base64(previous->root) + ")");
    }
    for (const tlog::TileRef& ref : tlog::tiles_for_size(n)) {
      if (log.tile(ref) != tlog::hash_tile_data(tree, ref.level, ref.index, ref.width)) {
        problem("hash tile " + tlog::tile_path(ref) + " differs from the hashes of the entries");
      }
    }
    report.log_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (replaying && replay.started()) {
      report.results_in_force = replay.results();
      if (options.compare_results) {
        auto compare_started = std::chrono::steady_clock::now();
        auto values = [&](int tps, Ballot b) { return replay.values(tps, b); };
        auto comparison = compare_published(replay.def(), replay.tally(), values, log.client());
        report.views_compared = comparison.views;
        for (auto& m : comparison.mismatches) problem("published result differs: " + m);
        report.compare_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - compare_started)
                .count();
      }
    }
    if (report.ok() && !state.empty()) {
      write_file_atomically(state / "checkpoint", now.text);
      write_file_atomically(state / "log.vkey", report.log_key);
    }
  } catch (const AuditError& e) {
    problem(e.what());
  } catch (const HttpError& e) {
    problem(e.what());
  }
  report.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

std::string VerifyReport::to_text() const {
  std::ostringstream s;
  s << "log key:            " << log_key
    << (key_from_log
            ? " (as the log publishes it: pass --log-key to check it against a key you trust)"
            : "")
    << "\n";
  s << "checkpoint:         " << tree_size << " entries";
  if (previous_size) s << " (an earlier run saw " << previous_size << ")";
  s << "\nstatements checked: " << statements_replayed
    << " (signatures, enrolment chain, form rules)\n";
  s << "results in force:   " << results_in_force << "\n";
  if (receipts_checked > 0) {
    s << "receipts:           " << receipts_checked << " acknowledgements checked at their index\n";
  }
  s << "published views:    " << views_compared << " region x ballot documents compared\n";
  s << "bundles:            " << bundles_fetched << " fetched, " << bundles_cached
    << " from the state\n";
  s << "time:               " << seconds << " s: log " << log_seconds << " s";
  if (log_seconds > 0) {
    s << " (" << std::uint64_t(double(statements_replayed) / log_seconds) << " entries/s)";
  }
  s << ", published results " << compare_seconds << " s";
  s << "\nverdict:            " << (ok() ? "OK: every check passed" : "FAILED") << "\n";
  for (const auto& p : problems) s << "  " << p << "\n";
  return s.str();
}

std::string VerifyReport::to_json() const {
  json::array p;
  for (const auto& x : problems) p.push_back(json::value(x));
  return json::serialize(json::object{{"ok", ok()},
                                      {"log_key", log_key},
                                      {"key_from_log", key_from_log},
                                      {"tree_size", tree_size},
                                      {"previous_size", previous_size},
                                      {"statements_replayed", statements_replayed},
                                      {"results_in_force", results_in_force},
                                      {"views_compared", views_compared},
                                      {"bundles_fetched", bundles_fetched},
                                      {"bundles_cached", bundles_cached},
                                      {"receipts_checked", receipts_checked},
                                      {"seconds", seconds},
                                      {"log_seconds", log_seconds},
                                      {"compare_seconds", compare_seconds},
                                      {"problems", std::move(p)}});
}

std::map<std::uint64_t, Hash32> parse_receipts(std::string_view text) {
  std::map<std::uint64_t, Hash32> out;
  std::size_t line = 0;
  while (!text.empty()) {
    ++line;
    const std::size_t end = text.find('\n');
    const std::string_view row = text.substr(0, end);
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    if (row.empty()) continue;
    const std::size_t space = row.find(' ');
    std::uint64_t index = 0;
    Hash32 id;
    const std::string_view digits = row.substr(0, space);
    const bool number = !digits.empty() && digits.size() <= 19 &&
                        digits.find_first_not_of("0123456789") == std::string_view::npos;
    if (space == std::string_view::npos || !number || !from_hex(row.substr(space + 1), id)) {
      throw AuditError("receipts line " + std::to_string(line) +
                       " is not `<log index> <statement id in hex>`");
    }
    index = std::stoull(std::string(digits));
    out[index] = id;
  }
  return out;
}

}  // namespace rekap::audit
