#include "publish/opendata/open_data.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "crypto/encoding.hpp"
#include "http/answer.hpp"
#include "http/json_answer.hpp"
#include "http/static_files.hpp"
#include "publish/json_documents.hpp"
#include "publish/opendata/archive.hpp"
#include "publish/opendata/cdf.hpp"
#include "publish/opendata/sirekap_documents.hpp"
#include "publish/opendata/wib_time.hpp"
#include "util/files.hpp"
#include "util/gzip.hpp"

namespace rekap::publish {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

http::Response not_found(const http::Request& req, const std::string& message) {
  return http::json_error(http::status::not_found, "not_found", message, req.version());
}

long long ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t)
      .count();
}

std::string cdf_file(Ballot b) {
  return "data/cdf/" + std::string(ballot_id(b)) + ".json";
}

}  // namespace

OpenData::OpenData(const Definition& def, const Tally& tally, Store& store, fs::path publish_dir,
                   std::string log_origin, SecretKey log_key, OpenDataOptions options)
    : def_(def),
      tally_(tally),
      store_(store),
      publish_dir_(std::move(publish_dir)),
      log_origin_(std::move(log_origin)),
      log_key_(std::move(log_key)),
      options_(options),
      sirekap_(def, tally, store, publish_dir_),
      csv_(def, tally, store, publish_dir_),
      cdf_written_(kBallotCount, 0) {}

OpenData::~OpenData() {
  stop();
}

void OpenData::start(const IngestActivity& ingest) {
  csv_.write_dictionaries();
  day_ = wib_date(unix_ms_now());
  next_export_ = std::chrono::steady_clock::now();
  next_archive_ = next_export_ + options_.archive_interval;
  started_ = true;
  publisher_.start("rekap-opendata", options_.documents_interval, ingest, [this] { pass(); });
}

void OpenData::stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  publisher_.stop();
  // The state at shutdown is the state until the next start: archive it as the day's.
  try {
    export_files();
    archive(wib_date(unix_ms_now()));
  } catch (const std::exception& e) {
    spdlog::error("open data at shutdown: {}", e.what());
  }
}

void OpenData::pass() {
  using clock = std::chrono::steady_clock;
  auto started = clock::now();
  std::size_t n = sirekap_.update([this] { return publisher_.pace(); });
  if (n > 0) spdlog::debug("open data: {} Sirekap documents in {} ms", n, ms_since(started));
  if (clock::now() >= next_export_) {
    auto export_started = clock::now();
    if (std::size_t files = export_files(); files > 0) {
      spdlog::debug("open data: {} CSV and CDF files in {} ms", files, ms_since(export_started));
    }
    next_export_ = clock::now() + options_.exports_interval;
  }
  std::string today = wib_date(unix_ms_now());
  if (today != day_) {
    // The day has ended: its archive is the state now.
    export_files();
    archive(day_);
    day_ = today;
  }
  if (options_.archive_interval.count() > 0 && clock::now() >= next_archive_) {
    export_files();
    archive(today);
    next_archive_ = clock::now() + options_.archive_interval;
  }
}

std::size_t OpenData::export_files() {
  std::size_t written = csv_.update([this] { publisher_.pace(); });
  std::string generated = iso_utc_seconds(unix_ms_now());
  for (Ballot b : kAllBallots) {
    std::string body;
    std::uint32_t version;
    {
      auto lock = tally_.read_lock();
      version = tally_.version(0, b);
      if (version == cdf_written_[int(b)]) continue;
      body = cdf_summary(def_, tally_, b, generated);
    }
    fs::path path = publish_dir_ / cdf_file(b);
    write_file_atomically(path, body);
    fs::path gz = path;
    gz += ".gz";
    write_file_atomically(gz, gzip(body));
    cdf_written_[int(b)] = version;
    ++written;
  }
  if (written > 0 || !index_written_) write_index();
  return written;
}

void OpenData::write_index() {
  json::array files;
  for (const CsvFileInfo& f : csv_.files()) {
    json::object o{{"path", f.path},
                   {"format", "csv"},
                   {"ballot", ballot_id(f.ballot)},
                   {"contest", nullptr},
                   {"rows", f.rows},
                   {"reported", f.reported},
                   {"bytes", f.bytes},
                   {"gzip_bytes", f.gzip_bytes}};
    if (f.contest >= 0) {
      o["contest"] = def_.contests[std::size_t(f.contest)].id;
      std::string columns = f.path;
      o["columns"] = columns.replace(columns.size() - 4, 4, ".columns.csv");
    }
    files.push_back(std::move(o));
  }
  for (Ballot b : kAllBallots) {
    std::error_code ec;
    auto bytes = fs::file_size(publish_dir_ / cdf_file(b), ec);
    files.push_back(json::object{{"path", "/" + cdf_file(b)},
                                 {"format", "nist-sp-1500-100-v2-json"},
                                 {"ballot", ballot_id(b)},
                                 {"contest", nullptr},
                                 {"bytes", ec ? 0 : bytes}});
  }
  json::array archives;
  for (const std::string& date : archive_dates(publish_dir_ / "data")) {
    archives.push_back(json::value(date));
  }
  json::object index{{"election", def_.election_id},
                     {"updated", iso_utc(unix_ms_now())},
                     {"files", std::move(files)},
                     {"archives", std::move(archives)}};
  write_file_atomically(publish_dir_ / "data/index.json", json::serialize(index));
  index_written_ = true;
}

void OpenData::archive(const std::string& date) {
  make_archive(publish_dir_ / "data", date, log_origin_, log_key_);
  write_index();
  spdlog::info("open data archived as /data/{}/", date);
}

http::Response OpenData::serve(const http::Request& req, std::string_view path) {
  // /data/cdf/<ballot>/<code>.json: one region's TPS, made when asked.
  constexpr std::string_view kCdf = "/data/cdf/";
  if (path.starts_with(kCdf) && path.ends_with(".json")) {
    std::string_view rest = path.substr(kCdf.size(), path.size() - kCdf.size() - 5);
    auto slash = rest.find('/');
    if (slash != std::string_view::npos) {
      auto b = parse_ballot(rest.substr(0, slash));
      if (!b) return not_found(req, "no ballot " + std::string(rest.substr(0, slash)));
      return precinct_cdf(req, *b, std::string(rest.substr(slash + 1)));
    }
  }
  if (auto res = sirekap_tps(req, path)) return std::move(*res);
  if (auto res = http::serve_static(publish_dir_, path, req)) return std::move(*res);
  return not_found(req, "no open data file " + std::string(path) + " (see /data/index.json)");
}

http::Response OpenData::precinct_cdf(const http::Request& req, Ballot b, const std::string& code) {
  int region = def_.find_region(code);
  if (region < 0 || def_.regions[std::size_t(region)].level < Level::kecamatan) {
    return not_found(req, "per-TPS CDF is made for a kecamatan or desa code; " + code +
                              " is not one (the nation's is /data/cdf/" +
                              std::string(ballot_id(b)) + ".json)");
  }
  std::vector<int> tps;
  const Region& r = def_.regions[std::size_t(region)];
  for (int t : r.tps) tps.push_back(t);
  for (int d : r.children) {
    for (int t : def_.regions[std::size_t(d)].tps) tps.push_back(t);
  }
  auto results = load_tps_results(store_, def_, tps, b);
  // Dated by its newest result, so that the same results give the same bytes and ETag.
  std::int64_t newest = 0;
  for (const TpsResult& t : results) {
    if (t.current) newest = std::max(newest, t.current->received_ms);
  }
  std::string generated = newest > 0 ? iso_utc_seconds(newest) : def_.election_date + "T00:00:00Z";
  // Answered like a file kept in memory: an ETag over the bytes, 304, gzip.
  return http::respond(
      http::make_memory_file(cdf_precinct(def_, b, region, results, generated), "application/json"),
      req);
}

std::optional<http::Response> OpenData::sirekap_tps(const http::Request& req,
                                                    std::string_view path) {
  // /pemilu/hhcw/<ballot>/<province>/.../<desa>/<TPS code>.json
  constexpr std::string_view kTree = "/pemilu/hhcw/";
  if (!path.starts_with(kTree) || !path.ends_with(".json")) return std::nullopt;
  std::string_view rest = path.substr(kTree.size());
  auto slash = rest.find('/');
  auto last = path.rfind('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto b = parse_ballot(rest.substr(0, slash));
  std::string code(path.substr(last + 1, path.size() - last - 1 - 5));
  int tps = def_.find_tps(code);
  if (!b || tps < 0 || "/" + sirekap_path(*b, code) != path) return std::nullopt;
  if (def_.tps[std::size_t(tps)].contest[int(*b)] < 0) {
    return not_found(req, "TPS " + code + " has no " + std::string(ballot_id(*b)) + " ballot");
  }
  return http::respond(http::make_memory_file(sirekap_.tps_document(*b, tps), "application/json"),
                       req);
}

}  // namespace rekap::publish
