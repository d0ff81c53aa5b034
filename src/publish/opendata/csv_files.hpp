#pragma once
// Keeps the CSV files of the open data (csv_export.hpp) up to date in the publish directory:
// data/<ballot>.csv and data/<ballot>/<contest>.csv, each also gzipped, with one piece per desa
// (piece_file.hpp). An update re-reads from the store only the desas whose totals changed since
// the last update and copies every other desa's rows from the files it replaces.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "publish/opendata/csv_rows.hpp"
#include "publish/opendata/piece_file.hpp"
#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

struct CsvFileInfo {
  std::string path;  // URL path, e.g. /data/pdpr/pdpr-11-1.csv
  Ballot ballot = Ballot::ppwp;
  int contest = -1;  // -1: the per-ballot file
  std::uint64_t bytes = 0, gzip_bytes = 0, rows = 0, reported = 0;
};

class CsvExports {
 public:
  // `publish_dir` is the publish directory; the files go to its data/.
  CsvExports(const Definition& def, const Tally& tally, Store& store,
             std::filesystem::path publish_dir);

  // Writes the column dictionaries (data/<ballot>/<contest>.columns.csv), which never change.
  void write_dictionaries() const;
  // Rewrites the files of every ballot with a desa whose totals changed; returns how many files
  // it wrote, calling `pace` between pieces of work (publisher_thread.hpp). On a failure the
  // ballot's files are rebuilt whole at the next update.
  std::size_t update(const std::function<void()>& pace);
  std::vector<CsvFileInfo> files() const;

 private:
  struct ContestFile {
    int contest = -1;
    CsvLayout layout;
    std::vector<int> desas;  // desa indexes with a TPS in the contest, in code order
    PieceFile file;
  };
  struct BallotFiles {
    Ballot ballot = Ballot::ppwp;
    CsvLayout layout;
    std::vector<int> desas;               // desa indexes with a TPS on the ballot, in code order
    std::vector<std::uint32_t> rendered;  // per desa: the tally version its rows show; 0: none
    PieceFile file;
    std::vector<ContestFile> contests;
  };
  std::size_t update_ballot(BallotFiles& files, const std::function<void()>& pace);
  std::string url_of(const std::filesystem::path& file) const;

  const Definition& def_;
  const Tally& tally_;
  Store& store_;
  std::filesystem::path publish_dir_;
  std::vector<BallotFiles> ballots_;
};

}  // namespace rekap::publish
