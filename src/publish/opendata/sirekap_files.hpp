#pragma once
// Keeps the Sirekap-compatible tree (sirekap_view.hpp) up to date in the publish directory
// under pemilu/: a region's document is rendered again when its totals change, a desa's with
// the results of its TPS read from the store. A document's "ts" is when the newest result it
// shows arrived (before any, the election day's first second), so the same results always give
// the same bytes: a document is written only when its bytes change, and a restart, which
// renders everything once, rewrites nothing that stayed the same.
//
// A TPS's document is made when asked (tps_document): as files, the 4.1 million of a nation
// would be some 17 GB and a new inode for every result on election night, where the desa's
// document already shows each of its TPS and the portal's TPS document and the CSV files carry
// every number for a static mirror.
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "store/store.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

class SirekapTree {
 public:
  SirekapTree(const Definition& def, const Tally& tally, Store& store,
              std::filesystem::path publish_dir);

  // Writes every document whose content changed since the last update (everything, the first
  // time); returns how many it wrote. `keep_going` is asked between documents; false stops the
  // update (the next one does the rest).
  std::size_t update(const std::function<bool()>& keep_going);

  // The document of TPS `tps` on ballot b, from the store as it is now.
  std::string tps_document(Ballot b, int tps) const;

 private:
  std::size_t update_desa(Ballot b, int desa);
  std::size_t update_region(Ballot b, int region);
  // "ts" for results that arrived at unix_ms (0: none yet).
  std::string ts(std::int64_t unix_ms) const;

  const Definition& def_;
  const Tally& tally_;
  Store& store_;
  std::filesystem::path publish_dir_;
  std::vector<std::uint32_t> written_;  // per region x ballot: the tally version written
  std::vector<std::int64_t> newest_;    // per region x ballot: arrival of the newest result
  bool static_written_ = false;
};

}  // namespace rekap::publish
