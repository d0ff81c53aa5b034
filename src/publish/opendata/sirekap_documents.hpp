#pragma once
// A Sirekap-compatible JSON tree (docs/open-data.md): the documents KPU's Sirekap published in
// 2024 under /pemilu/hhcw/<ballot>/<codes...>.json, with its field names, so that tools written
// against Sirekap read rekap's results unchanged. Pure: rendered from the totals or the TPS
// results given.
//
// Keys of "chart" and "table" entries: PPWP pairs by Sirekap's 2024 ids ("100025" for pair 01,
// "100026", "100027"), parties by party number (as Sirekap did); DPD candidates and a party's
// candidates by ballot number (Sirekap's were internal ids that the election definition does
// not hold). Where rekap has more than Sirekap did, it adds keys ("rekap_images") and never
// changes the type or meaning of one of Sirekap's.
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "publish/opendata/tps_result.hpp"
#include "tally/tally.hpp"

namespace rekap::publish {

// The document's path below the publish directory (and its URL without the leading slash):
// pemilu/hhcw/ppwp.json for the nation, pemilu/hhcw/ppwp/31/3171/317101.json for a kecamatan,
// and so on down to pemilu/hhcw/ppwp/31/3171/317101/3171011001/3171011001001.json for a TPS.
std::string sirekap_path(Ballot b, const std::string& code);

// A region above the desa: chart (its totals), table (one entry per sub-region), progres.
// The caller holds the tally's lock.
boost::json::value sirekap_region(const Definition& def, const Tally& tally, Ballot b, int region,
                                  const std::string& ts);
// A desa: chart and a table with one entry per TPS, from the results of its TPS.
boost::json::value sirekap_desa(const Definition& def, Ballot b,
                                const std::vector<TpsResult>& results, const std::string& ts);
// A TPS: mode, chart (opening with Sirekap's "null": null), images (always three: the first
// three photos, null where there are fewer), administrasi, or nulls before it reports; and
// rekap_images, every photo. `ts` is used for a TPS that
// has not reported; otherwise the time its result arrived.
boost::json::value sirekap_tps(const Definition& def, const TpsResult& result,
                               const std::string& ts);
// JSON text with the shares written as Sirekap wrote them (41.01, 100), where Boost.JSON would
// write 4.101E1 and 1E2; everything else as Boost.JSON writes it.
std::string sirekap_serialize(const boost::json::value& doc);

// Sirekap's region lists, where scrapers start: wilayah/pemilu/ppwp/0.json lists the
// provinces, wilayah/pemilu/ppwp/31.json the kab/kota of 31, and so on down to a desa's, which
// lists its TPS.
std::string sirekap_wilayah_path(const std::string& code);
// The list of a region's sub-regions (of a desa: its TPS), each
// {"id", "nama", "kode", "tingkat"}.
boost::json::value sirekap_wilayah(const Definition& def, int region);

// pemilu/ppwp.json: the PPWP pairs by chart key.
boost::json::value sirekap_paslon(const Definition& def, const std::string& ts);
// pemilu/partai.json: the parties by chart key.
boost::json::value sirekap_partai(const Definition& def, const std::string& ts);

}  // namespace rekap::publish
