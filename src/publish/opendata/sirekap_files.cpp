#include "publish/opendata/sirekap_files.hpp"

#include <algorithm>
#include <stdexcept>

#include "publish/opendata/sirekap_documents.hpp"
#include "publish/opendata/tps_result.hpp"
#include "publish/opendata/wib_time.hpp"
#include "util/files.hpp"

namespace rekap::publish {

namespace {

// Writes the file unless it already holds these bytes; returns whether it wrote.
bool write_if_changed(const std::filesystem::path& path, const std::string& body) {
  if (auto old = read_file(path); old && *old == body) return false;
  write_file_atomically(path, body);
  return true;
}

}  // namespace

SirekapTree::SirekapTree(const Definition& def, const Tally& tally, Store& store,
                         std::filesystem::path publish_dir)
    : def_(def),
      tally_(tally),
      store_(store),
      publish_dir_(std::move(publish_dir)),
      written_(def.regions.size() * kBallotCount, 0),
      newest_(def.regions.size() * kBallotCount, 0) {}

std::string SirekapTree::ts(std::int64_t unix_ms) const {
  return unix_ms > 0 ? wib_timestamp(unix_ms) : def_.election_date + " 00:00:00";
}

std::size_t SirekapTree::update(const std::function<bool()>& keep_going) {
  std::size_t written = 0;
  if (!static_written_) {
    written += write_if_changed(publish_dir_ / "pemilu/ppwp.json",
                                sirekap_serialize(sirekap_paslon(def_, ts(0))));
    written += write_if_changed(publish_dir_ / "pemilu/partai.json",
                                sirekap_serialize(sirekap_partai(def_, ts(0))));
    for (std::size_t r = 0; r < def_.regions.size(); ++r) {
      written += write_if_changed(publish_dir_ / sirekap_wilayah_path(def_.regions[r].code),
                                  sirekap_serialize(sirekap_wilayah(def_, int(r))));
    }
    static_written_ = true;
  }
  // The desas first: they find the newest result that the regions above them show.
  for (bool desas : {true, false}) {
    for (Ballot b : kAllBallots) {
      for (std::size_t r = 0; r < def_.regions.size(); ++r) {
        if (def_.tps_count(int(r), b) == 0) continue;
        if ((def_.regions[r].level == Level::desa) != desas) continue;
        written += desas ? update_desa(b, int(r)) : update_region(b, int(r));
        if (!keep_going()) return written;
      }
    }
  }
  return written;
}

std::size_t SirekapTree::update_region(Ballot b, int region) {
  std::uint32_t& done = written_[std::size_t(region) * kBallotCount + int(b)];
  std::string body;
  std::uint32_t version;
  {
    auto lock = tally_.read_lock();
    version = tally_.version(region, b);
    if (version == done) return 0;
    std::string when = ts(newest_[std::size_t(region) * kBallotCount + int(b)]);
    body = sirekap_serialize(sirekap_region(def_, tally_, b, region, when));
  }
  bool wrote = write_if_changed(
      publish_dir_ / sirekap_path(b, def_.regions[std::size_t(region)].code), body);
  done = version;
  return wrote ? 1 : 0;
}

std::size_t SirekapTree::update_desa(Ballot b, int desa) {
  std::uint32_t& done = written_[std::size_t(desa) * kBallotCount + int(b)];
  std::uint32_t version;
  {
    auto lock = tally_.read_lock();
    version = tally_.version(desa, b);
  }
  if (version == done) return 0;
  // The version is read before the store, so a later change shows at the next update.
  auto results = load_tps_results(store_, def_, def_.regions[std::size_t(desa)].tps, b);
  std::int64_t newest = 0;
  for (const TpsResult& r : results) {
    if (r.current) newest = std::max(newest, r.current->received_ms);
  }
  for (int r = desa; r >= 0; r = def_.regions[std::size_t(r)].parent) {
    std::int64_t& n = newest_[std::size_t(r) * kBallotCount + int(b)];
    n = std::max(n, newest);
  }
  const std::string& code = def_.regions[std::size_t(desa)].code;
  bool wrote = write_if_changed(publish_dir_ / sirekap_path(b, code),
                                sirekap_serialize(sirekap_desa(def_, b, results, ts(newest))));
  done = version;
  return wrote ? 1 : 0;
}

std::string SirekapTree::tps_document(Ballot b, int tps) const {
  auto results = load_tps_results(store_, def_, {tps}, b);
  if (results.empty()) throw std::invalid_argument("the TPS does not vote on this ballot");
  return sirekap_serialize(sirekap_tps(def_, results.front(), ts(0)));
}

}  // namespace rekap::publish
