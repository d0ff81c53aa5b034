#include "publish/opendata/csv_files.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "util/files.hpp"

namespace rekap::publish {

namespace fs = std::filesystem;

namespace {

FreshPiece piece_of(std::string_view text, std::uint32_t rows, std::uint32_t reported) {
  return {deflate_piece(text), rows, reported};
}

}  // namespace

CsvExports::CsvExports(const Definition& def, const Tally& tally, Store& store,
                       fs::path publish_dir)
    : def_(def), tally_(tally), store_(store), publish_dir_(std::move(publish_dir)) {
  std::vector<int> desas;
  for (std::size_t r = 0; r < def.regions.size(); ++r) {
    if (def.regions[r].level == Level::desa) desas.push_back(int(r));
  }
  std::sort(desas.begin(), desas.end(), [&](int a, int b) {
    return def.regions[std::size_t(a)].code < def.regions[std::size_t(b)].code;
  });
  fs::path data = publish_dir_ / "data";
  for (Ballot b : kAllBallots) {
    std::string id(ballot_id(b));
    BallotFiles& files = ballots_.emplace_back(
        BallotFiles{b, ballot_csv_layout(def, b), {}, {}, PieceFile(data / (id + ".csv")), {}});
    std::map<int, std::size_t> slot;  // contest index -> position in files.contests
    for (std::size_t c = 0; c < def.contests.size(); ++c) {
      if (def.contests[c].ballot != b) continue;
      slot[int(c)] = files.contests.size();
      files.contests.push_back({int(c),
                                contest_csv_layout(def, int(c)),
                                {},
                                PieceFile(data / id / (def.contests[c].id + ".csv"))});
    }
    for (int d : desas) {
      if (def.tps_count(d, b) == 0) continue;
      files.desas.push_back(d);
      for (int t : def.regions[std::size_t(d)].tps) {
        int c = def.tps[std::size_t(t)].contest[int(b)];
        if (c < 0) continue;
        auto& contest_desas = files.contests[slot.at(c)].desas;
        if (contest_desas.empty() || contest_desas.back() != d) contest_desas.push_back(d);
      }
    }
    files.rendered.assign(files.desas.size(), 0);
  }
}

void CsvExports::write_dictionaries() const {
  for (const BallotFiles& files : ballots_) {
    for (const ContestFile& c : files.contests) {
      fs::path path = c.file.path();
      path.replace_extension(".columns.csv");
      write_file_atomically(path, csv_columns_dictionary(def_, c.contest));
    }
  }
}

std::size_t CsvExports::update(const std::function<void()>& pace) {
  std::size_t written = 0;
  for (BallotFiles& files : ballots_) written += update_ballot(files, pace);
  return written;
}

std::size_t CsvExports::update_ballot(BallotFiles& files, const std::function<void()>& pace) {
  Ballot b = files.ballot;
  std::vector<std::size_t> dirty;
  std::vector<std::uint32_t> versions(files.desas.size());
  {
    // Versions are read before the store: whatever changes after this shows in the next update.
    auto lock = tally_.read_lock();
    for (std::size_t i = 0; i < files.desas.size(); ++i) {
      versions[i] = tally_.version(files.desas[i], b);
      if (versions[i] != files.rendered[i]) dirty.push_back(i);
    }
  }
  if (dirty.empty() && files.file.written()) return 0;
  // Only the changed desas' rows are held, compressed: at the first update of a whole nation
  // that is every row of one ballot.
  std::unordered_map<std::size_t, FreshPiece> fresh;
  std::vector<std::unordered_map<int, FreshPiece>> contest_fresh(files.contests.size());
  std::unordered_map<int, std::size_t> slot;
  for (std::size_t s = 0; s < files.contests.size(); ++s) slot[files.contests[s].contest] = s;
  for (std::size_t i : dirty) {
    pace();
    int d = files.desas[i];
    auto results = load_tps_results(store_, def_, def_.regions[std::size_t(d)].tps, b);
    std::map<int, std::pair<std::uint32_t, std::uint32_t>> per_contest;  // rows, reported
    std::uint32_t reported = 0;
    for (const TpsResult& r : results) {
      auto& counts = per_contest[r.contest];
      counts.first += 1;
      counts.second += r.current ? 1 : 0;
      reported += r.current ? 1 : 0;
    }
    fresh.emplace(i, piece_of(csv_rows(def_, files.layout, results), std::uint32_t(results.size()),
                              reported));
    for (const auto& [contest, counts] : per_contest) {
      const ContestFile& cf = files.contests[slot.at(contest)];
      contest_fresh[slot.at(contest)].emplace(
          d, piece_of(csv_rows(def_, cf.layout, results), counts.first, counts.second));
    }
  }
  std::size_t written = 0;
  try {
    FreshPiece header = piece_of(csv_header(files.layout), 0, 0);
    files.file.rewrite(files.desas.size() + 1, [&](std::size_t i) -> const FreshPiece* {
      pace();
      if (i == 0) return &header;
      auto it = fresh.find(i - 1);
      return it == fresh.end() ? nullptr : &it->second;
    });
    ++written;
    for (std::size_t s = 0; s < files.contests.size(); ++s) {
      ContestFile& cf = files.contests[s];
      if (contest_fresh[s].empty() && cf.file.written()) continue;
      FreshPiece contest_header = piece_of(csv_header(cf.layout), 0, 0);
      cf.file.rewrite(cf.desas.size() + 1, [&](std::size_t i) -> const FreshPiece* {
        pace();
        if (i == 0) return &contest_header;
        auto it = contest_fresh[s].find(cf.desas[i - 1]);
        return it == contest_fresh[s].end() ? nullptr : &it->second;
      });
      ++written;
    }
  } catch (...) {
    // Some files may hold the new rows and some the old: render everything again next time.
    std::fill(files.rendered.begin(), files.rendered.end(), 0);
    throw;
  }
  for (std::size_t i : dirty) files.rendered[i] = versions[i];
  return written;
}

std::string CsvExports::url_of(const fs::path& file) const {
  return "/" + file.lexically_relative(publish_dir_).generic_string();
}

std::vector<CsvFileInfo> CsvExports::files() const {
  std::vector<CsvFileInfo> out;
  auto info = [&](const PieceFile& f, Ballot b, int contest) {
    out.push_back({url_of(f.path()), b, contest, f.size(), f.gzip_size(), f.rows(), f.reported()});
  };
  for (const BallotFiles& files : ballots_) {
    info(files.file, files.ballot, -1);
    for (const ContestFile& c : files.contests) info(c.file, files.ballot, c.contest);
  }
  return out;
}

}  // namespace rekap::publish
