#include "publish/portal/region_summary.hpp"

#include <boost/json.hpp>

#include "publish/portal/indexes.hpp"

namespace rekap::publish {

namespace json = boost::json;

namespace {

enum class Kind { common, party_total, party_only, candidate, party_candidate };

// c1 (a candidate); p2 (votes for party 2 only); p2c3 (its candidate 3); p2t (its total);
// anything else the form's administrasi and totals.
Kind kind_of(std::string_view name) {
  auto digits = [](std::string_view s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
  };
  if (name.size() > 1 && name[0] == 'c' && digits(name.substr(1))) return Kind::candidate;
  if (name.size() < 2 || name[0] != 'p' || name[1] < '0' || name[1] > '9') return Kind::common;
  std::string_view rest = name.substr(1);
  auto end = rest.find_first_not_of("0123456789");
  if (end == std::string_view::npos) return Kind::party_only;
  if (rest.substr(end) == "t") return Kind::party_total;
  if (rest[end] == 'c' && digits(rest.substr(end + 1))) return Kind::party_candidate;
  return Kind::common;
}

// Which fields a sum keeps: `all` where they mean the same in every contest summed (one
// contest), `shares` for a row of a table (the candidates of one contest, the party totals).
enum class Keep { all, shares };

bool kept(Kind k, bool single, Keep keep) {
  switch (k) {
    case Kind::common:
    case Kind::party_total:
      return true;
    case Kind::candidate:
      return single;
    case Kind::party_only:
    case Kind::party_candidate:
      return single && keep == Keep::all;
  }
  return false;
}

json::object ref(const Region& r) {
  return {{"code", r.code}, {"name", r.name}, {"level", level_name(r.level)}};
}

json::object progress(std::uint64_t reported, std::uint64_t total) {
  return {{"reported", reported}, {"total", total}};
}

// Sums the contests' fields that mean the same across them.
json::object summed(const Definition& def, const std::vector<Totals>& contests, Keep keep,
                    std::uint64_t& reported, std::uint64_t& total) {
  json::object out;
  bool single = contests.size() == 1;
  for (const Totals& t : contests) {
    const FormLayout& layout = def.contests[std::size_t(t.contest)].layout;
    for (std::size_t i = 0; i < layout.fields.size(); ++i) {
      const std::string& name = layout.fields[i].name;
      if (!kept(kind_of(name), single, keep)) continue;
      json::value& v = out[name];
      v = (v.is_int64() ? v.as_int64() : 0) + t.sums[i];
    }
    reported += t.reported;
    total += t.expected;
  }
  return out;
}

// suara_sah and the party totals (party ballots) or candidates' votes (the others).
json::object contest_row(const Definition& def, const Totals& t) {
  const Contest& c = def.contests[std::size_t(t.contest)];
  bool parties = !c.parties.empty();
  json::object totals;
  for (std::size_t i = 0; i < c.layout.fields.size(); ++i) {
    const std::string& name = c.layout.fields[i].name;
    if (name == "suara_sah" || kind_of(name) == (parties ? Kind::party_total : Kind::candidate)) {
      totals[name] = t.sums[i];
    }
  }
  return {{"id", c.id},
          {"name", c.name},
          {"seats", c.seats},
          {"scope", contest_scope(c)},
          {"progress", progress(t.reported, t.expected)},
          {"totals", std::move(totals)}};
}

}  // namespace

json::value region_summary_json(const Definition& def, const Tally& tally, Ballot b, int region) {
  const Region& r = def.regions[std::size_t(region)];
  json::object out{{"ballot", ballot_id(b)}, {"region", ref(r)}};
  json::array parents;
  std::vector<int> chain;
  for (int p = r.parent; p >= 0; p = def.regions[std::size_t(p)].parent) chain.push_back(p);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    parents.push_back(ref(def.regions[std::size_t(*it)]));
  }
  out["parents"] = std::move(parents);
  const auto& contests = tally.region(region, b);
  std::uint64_t reported = 0, total = 0;
  out["totals"] = summed(def, contests, Keep::all, reported, total);
  out["progress"] = progress(reported, total);
  // The one contest whose candidates `totals` then has.
  if (contests.size() == 1) out["contest"] = def.contests[std::size_t(contests[0].contest)].id;
  json::array rows;
  for (const Totals& t : contests) {
    if (code_within(contest_scope(def.contests[std::size_t(t.contest)]), r.code)) {
      rows.push_back(contest_row(def, t));
    }
  }
  if (rows.size() > kSummaryContests) rows.clear();
  out["contests"] = std::move(rows);
  json::array children;
  for (int c : r.children) {
    std::uint64_t cr = 0, ct = 0;
    json::object child = ref(def.regions[std::size_t(c)]);
    child["totals"] = summed(def, tally.region(c, b), Keep::shares, cr, ct);
    child["progress"] = progress(cr, ct);
    children.push_back(std::move(child));
  }
  out["children"] = std::move(children);
  return out;
}

}  // namespace rekap::publish
