#pragma once
// The portal's indexes of an election definition (docs/portal.md), rendered once at start:
// they change only with the definition. Pure: they render what they are given.
//
// Search: a region is found by the words of its name. Each word of two characters or more
// files the region under the word's first two characters, so that a phone downloads only the
// shard of the word typed (a few hundred kilobytes for the nation's 91,000 regions in all).
#include <boost/json/value.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/definition.hpp"

namespace rekap::publish {

// The words of a name as the portal matches them: lower-case ASCII letters and digits; every
// other byte separates words. web/src/search.js splits a query the same way.
std::vector<std::string> search_words(std::string_view name);

// Shard key (two characters) -> {"regions": [[code, name], ...], "names": {code: name}}, where
// `names` names the province, kab/kota and kecamatan of each region listed, so a hit can be
// shown with where it lies. Regions are listed in definition order; the nation is not listed.
std::map<std::string, boost::json::value> search_shards(const Definition& def);

// The code of the smallest region holding all of a contest's regions: the region whose results
// have the contest's totals whole (for a dapil with overseas TPS, the nation: "").
std::string contest_scope(const Contest& c);

// The contests of a ballot by province: province code -> [{id, name, seats, regions, scope}],
// each contest under every province it has TPS in (one covering the nation, under all). A page
// below the kab/kota level fetches its province's; a nation has 2,325 DPRD Kab/Kota dapil.
std::map<std::string, boost::json::value> ballot_contests_by_province(const Definition& def,
                                                                      Ballot b);

// The parties: [{number, abbrev, name}], what a page needs of the election to name them.
boost::json::value parties_json(const Definition& def);

}  // namespace rekap::publish
