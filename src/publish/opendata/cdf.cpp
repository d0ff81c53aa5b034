#include "publish/opendata/cdf.hpp"

#include <boost/json.hpp>
#include <map>
#include <set>
#include <unordered_map>

namespace rekap::publish {

namespace json = boost::json;

namespace {

struct Unit {
  std::string id;
  int region = -1;  // index into def.regions, or -1 for a TPS
  int tps = -1;
  std::vector<std::string> composing;
  bool counted = false;  // counts in this report; otherwise listed only to place the others
  std::uint64_t registered = 0;
  std::uint32_t total = 0, reported = 0;
  std::int64_t participated = 0;
  std::int64_t cast = 0, rejected = 0;  // suara_total, suara_tidak_sah over its contests
};

struct Counts {
  std::size_t unit = 0;
  std::vector<std::int64_t> sums;
  std::uint32_t reported = 0, expected = 0;
};

struct Report {
  Ballot ballot = Ballot::ppwp;
  std::string format;
  std::string generated;
  std::vector<Unit> units;
  std::map<int, std::vector<Counts>> contests;  // contest index -> counts per unit
};

std::string unit_id(const std::string& code) {
  return "ru-" + (code.empty() ? std::string("nasional") : code);
}

json::object text(const std::string& s) {
  return {{"@type", "ElectionResults.InternationalizedText"},
          {"Text",
           json::array{json::object{
               {"@type", "ElectionResults.LanguageString"}, {"Content", s}, {"Language", "id"}}}}};
}

json::array external_id(const std::string& kind, const std::string& value) {
  return {json::object{{"@type", "ElectionResults.ExternalIdentifier"},
                       {"Type", "other"},
                       {"OtherType", kind},
                       {"Value", value}}};
}

// SP 1500-100's ReportingUnitType for each level; kecamatan and desa have no counterpart.
void set_unit_type(Level level, json::object& o) {
  switch (level) {
    case Level::nation:
      o["Type"] = "country";
      return;
    case Level::province:
      o["Type"] = "state";
      return;
    case Level::kabkota:
      o["Type"] = "county";
      return;
    case Level::kecamatan:
      o["Type"] = "other";
      o["OtherType"] = "kecamatan";
      return;
    case Level::desa:
      o["Type"] = "other";
      o["OtherType"] = "kelurahan";
      return;
    case Level::tps:
      o["Type"] = "precinct";
      return;
  }
}

json::object unit_json(const Definition& def, const Unit& u) {
  json::object o{{"@type", "ElectionResults.ReportingUnit"}, {"@id", u.id}};
  if (u.tps >= 0) {
    const std::string& code = def.tps[std::size_t(u.tps)].code;
    o["Name"] = text("TPS " + code.substr(10));
    set_unit_type(Level::tps, o);
    o["ExternalIdentifier"] = external_id("kode-tps", code);
  } else {
    const Region& r = def.regions[std::size_t(u.region)];
    o["Name"] = text(r.name);
    set_unit_type(r.level, o);
    if (!r.code.empty()) o["ExternalIdentifier"] = external_id("kode-wilayah", r.code);
  }
  if (!u.composing.empty()) {
    json::array ids;
    for (const auto& id : u.composing) ids.push_back(json::value(id));
    o["ComposingGpUnitIds"] = std::move(ids);
  }
  if (u.counted) {
    o["VotersRegistered"] = u.registered;
    o["VotersParticipated"] = u.participated;
    o["TotalSubUnits"] = u.total;
    o["SubUnitsReported"] = u.reported;
  }
  return o;
}

const char* district_type(Ballot b) {
  switch (b) {
    case Ballot::pdpr:
      return "congressional";
    case Ballot::pdprdp:
      return "state-house";
    case Ballot::pdprdk:
      return "county-council";
    default:
      return "other";
  }
}

const char* vote_variation(Ballot b) {
  switch (b) {
    case Ballot::ppwp:
      return "majority";
    case Ballot::pdpd:
      return "plurality";
    default:
      return "proportional";
  }
}

json::object vote_counts(const std::string& gp_unit, std::int64_t count) {
  return {{"@type", "ElectionResults.VoteCounts"},
          {"GpUnitId", gp_unit},
          {"Type", "total"},
          {"Count", count}};
}

json::object ballot_counts(const std::string& gp_unit, std::int64_t cast, std::int64_t rejected) {
  return {{"@type", "ElectionResults.BallotCounts"},
          {"GpUnitId", gp_unit},
          {"Type", "total"},
          {"BallotsCast", cast},
          {"BallotsRejected", rejected}};
}

json::array counts_of(const Report& r, const std::vector<Counts>& counts, int field) {
  json::array out;
  for (const Counts& c : counts) {
    out.push_back(vote_counts(r.units[c.unit].id, c.sums[std::size_t(field)]));
  }
  return out;
}

// The contest's electoral district: a unit of the report when the contest covers exactly one
// region that is in it, otherwise a unit of its own made of the report's regions it covers.
std::string district_of(const Contest& c, const std::set<std::string>& present,
                        std::vector<json::object>& districts) {
  if (c.regions.size() == 1 && present.count(unit_id(c.regions[0]))) return unit_id(c.regions[0]);
  std::string id = "ed-" + c.id;
  json::object o{{"@type", "ElectionResults.ReportingUnit"}, {"@id", id}, {"Name", text(c.name)}};
  std::string_view type = district_type(c.ballot);
  o["Type"] = type;
  if (type == "other") o["OtherType"] = "dapil";
  json::array composing;
  for (const auto& code : c.regions) {
    if (present.count(unit_id(code))) composing.push_back(json::value(unit_id(code)));
  }
  o["ComposingGpUnitIds"] = std::move(composing);
  districts.push_back(std::move(o));
  return id;
}

json::object contest_json(const Definition& def, const Report& r, int contest,
                          const std::vector<Counts>& counts, const std::string& district) {
  const Contest& c = def.contests[std::size_t(contest)];
  const FormLayout& layout = c.layout;
  json::array selections;
  auto candidate = [&](const std::string& field, int order) {
    selections.push_back(
        json::object{{"@type", "ElectionResults.CandidateSelection"},
                     {"@id", "sel-" + c.id + "-" + field},
                     {"SequenceOrder", order},
                     {"CandidateIds", json::array{json::value("cand-" + c.id + "-" + field)}},
                     {"VoteCounts", counts_of(r, counts, layout.find(field))}});
  };
  if (is_party_ballot(c.ballot)) {
    // Votes for the party alone, then for each of its candidates; together they make the
    // party's total, and all selections together the valid votes.
    for (int p : c.parties) {
      std::string party = "p" + std::to_string(p);
      selections.push_back(
          json::object{{"@type", "ElectionResults.PartySelection"},
                       {"@id", "sel-" + c.id + "-" + party},
                       {"SequenceOrder", p},
                       {"PartyIds", json::array{json::value("party-" + std::to_string(p))}},
                       {"VoteCounts", counts_of(r, counts, layout.find(party))}});
      for (const Candidate& cand : c.candidates) {
        if (cand.party == p) candidate(party + "c" + std::to_string(cand.number), cand.number);
      }
    }
  } else {
    for (const Candidate& cand : c.candidates) {
      candidate("c" + std::to_string(cand.number), cand.number);
    }
  }
  std::uint32_t reported = counts.empty() ? 0 : counts.front().reported;
  std::uint32_t expected = counts.empty() ? 0 : counts.front().expected;
  return {{"@type", "ElectionResults.CandidateContest"},
          {"@id", "contest-" + c.id},
          {"Name", c.name},
          {"ElectionDistrictId", district},
          {"ExternalIdentifier", external_id("rekap-contest", c.id)},
          {"VotesAllowed", 1},
          {"NumberElected", c.seats},
          {"VoteVariation", vote_variation(c.ballot)},
          {"TotalSubUnits", expected},
          {"SubUnitsReported", reported},
          {"ContestSelection", std::move(selections)}};
}

// The schema counts ballots cast and rejected per GpUnit of the election (BallotCounts), not
// per contest: a contest's ballots in a unit are the unit's own counts when all its TPS vote in
// the contest; the contest's district's when all the contest's TPS are in the unit; otherwise
// those of a unit of their own, the unit's part of the contest. `placed` holds the GpUnits
// already counted: a district that is a counted region has the contest's counts as its own,
// since the definition gives each TPS one contest per ballot.
void place_ballot_counts(const Definition& def, const Report& r, int contest,
                         const std::vector<Counts>& counts, const std::string& district,
                         std::uint32_t contest_tps, std::set<std::string>& placed,
                         json::array& ballot_counts_out, std::vector<json::object>& units) {
  const Contest& c = def.contests[std::size_t(contest)];
  int cast = c.layout.find("suara_total"), rejected = c.layout.find("suara_tidak_sah");
  for (const Counts& k : counts) {
    const Unit& u = r.units[k.unit];
    std::uint32_t unit_tps = u.tps >= 0 ? 1 : def.tps_count(u.region, r.ballot);
    if (k.expected == unit_tps) continue;
    bool part = k.expected != contest_tps;
    std::string id = part ? u.id + "-" + c.id : district;
    if (!placed.insert(id).second) continue;
    if (part) {
      units.push_back(
          json::object{{"@type", "ElectionResults.ReportingUnit"},
                       {"@id", id},
                       {"Name", text(def.regions[std::size_t(u.region)].name + ", " + c.name)},
                       {"Type", "other"},
                       {"OtherType", "dapil-part"}});
    }
    ballot_counts_out.push_back(
        ballot_counts(id, k.sums[std::size_t(cast)], k.sums[std::size_t(rejected)]));
  }
}

// An object's serialization without its closing brace, so that large arrays can follow it
// one element at a time instead of as one document in memory.
std::string open_object(const json::object& o) {
  std::string s = json::serialize(o);
  s.pop_back();
  return s;
}

std::string render(const Definition& def, const Report& r) {
  std::set<std::string> present;
  for (const Unit& u : r.units) present.insert(u.id);
  std::uint32_t reported = 0, expected = 0;
  std::set<int> parties;
  json::array candidates;
  for (const auto& [contest, counts] : r.contests) {
    if (!counts.empty()) {
      reported += counts.front().reported;
      expected += counts.front().expected;
    }
    const Contest& c = def.contests[std::size_t(contest)];
    parties.insert(c.parties.begin(), c.parties.end());
    for (const Candidate& cand : c.candidates) {
      std::string field = (cand.party ? "p" + std::to_string(cand.party) : std::string()) + "c" +
                          std::to_string(cand.number);
      json::object o{{"@type", "ElectionResults.Candidate"},
                     {"@id", "cand-" + c.id + "-" + field},
                     {"BallotName", text(cand.name)}};
      if (cand.party) o["PartyId"] = "party-" + std::to_string(cand.party);
      candidates.push_back(std::move(o));
    }
  }
  json::object report{
      {"@type", "ElectionResults.ElectionReport"},
      {"Format", r.format},
      {"GeneratedDate", r.generated},
      {"Issuer", def.election_name},
      {"IssuerAbbreviation", "rekap"},
      {"SequenceStart", 1},
      {"SequenceEnd", 1},
      {"Status", reported == expected ? "unofficial-complete" : "unofficial-partial"},
      {"VendorApplicationId", "rekap"},
      {"Notes", "rekap open data, ballot " + std::string(ballot_id(r.ballot)) + " of election " +
                    def.election_id + "; see docs/open-data.md"}};
  json::object election{{"@type", "ElectionResults.Election"},
                        {"Name", text(def.election_name)},
                        {"Type", "general"},
                        {"StartDate", def.election_date},
                        {"EndDate", def.election_date},
                        {"ElectionScopeId", unit_id("")},
                        {"ExternalIdentifier", external_id("rekap-election", def.election_id)},
                        {"Candidate", std::move(candidates)}};
  std::string out =
      open_object(report) + ",\"Election\":[" + open_object(election) + ",\"Contest\":[";
  json::array ballot_counts_out;
  std::set<std::string> placed;
  for (const Unit& u : r.units) {
    if (!u.counted) continue;
    ballot_counts_out.push_back(ballot_counts(u.id, u.cast, u.rejected));
    placed.insert(u.id);
  }
  std::vector<json::object> contest_units;  // districts and parts of districts
  bool first = true;
  for (const auto& [contest, counts] : r.contests) {
    std::string district = district_of(def.contests[std::size_t(contest)], present, contest_units);
    out += first ? "" : ",";
    out += json::serialize(contest_json(def, r, contest, counts, district));
    first = false;
    place_ballot_counts(def, r, contest, counts, district, def.contest_tps_count(contest), placed,
                        ballot_counts_out, contest_units);
  }
  out += "],\"BallotCounts\":" + json::serialize(ballot_counts_out) + "}],\"GpUnit\":[";
  first = true;
  for (const Unit& u : r.units) {
    out += first ? "" : ",";
    out += json::serialize(unit_json(def, u));
    first = false;
  }
  for (const json::object& d : contest_units) out += "," + json::serialize(d);
  out += "],\"Party\":[";
  first = true;
  for (int p : parties) {
    const Party* party = def.find_party(p);
    out += first ? "" : ",";
    out += json::serialize(json::object{{"@type", "ElectionResults.Party"},
                                        {"@id", "party-" + std::to_string(p)},
                                        {"Name", text(party ? party->name : "")},
                                        {"Abbreviation", text(party ? party->abbrev : "")}});
    first = false;
  }
  out += "]}";
  return out;
}

// DPT of the TPS voting on ballot b, per region.
std::vector<std::uint64_t> registered_by_region(const Definition& def, Ballot b) {
  std::vector<std::uint64_t> out(def.regions.size(), 0);
  for (const Tps& t : def.tps) {
    if (t.contest[int(b)] < 0) continue;
    for (int r = t.region; r >= 0; r = def.regions[std::size_t(r)].parent) {
      out[std::size_t(r)] += t.dpt();
    }
  }
  return out;
}

std::int64_t field_sum(const Definition& def, int contest, const std::vector<std::int64_t>& sums,
                       const char* name) {
  int f = def.contests[std::size_t(contest)].layout.find(name);
  return f < 0 ? 0 : sums[std::size_t(f)];
}

void add_counts(const Definition& def, Report& report, std::size_t unit, int contest,
                std::vector<std::int64_t> sums, std::uint32_t reported, std::uint32_t expected) {
  Unit& u = report.units[unit];
  u.participated += field_sum(def, contest, sums, "pengguna_total_j");
  u.cast += field_sum(def, contest, sums, "suara_total");
  u.rejected += field_sum(def, contest, sums, "suara_tidak_sah");
  u.reported += reported;
  u.total += expected;
  report.contests[contest].push_back({unit, std::move(sums), reported, expected});
}

}  // namespace

std::string cdf_summary(const Definition& def, const Tally& tally, Ballot b,
                        const std::string& generated) {
  Report report{b, "summary-contest", generated, {}, {}};
  auto registered = registered_by_region(def, b);
  for (std::size_t r = 0; r < def.regions.size(); ++r) {
    const Region& region = def.regions[r];
    if (region.level > Level::kecamatan || def.tps_count(int(r), b) == 0) continue;
    Unit u{unit_id(region.code), int(r), -1, {}, true, registered[r], 0, 0, 0, 0, 0};
    for (int child : region.children) {
      const Region& c = def.regions[std::size_t(child)];
      if (c.level <= Level::kecamatan && def.tps_count(child, b) > 0) {
        u.composing.push_back(unit_id(c.code));
      }
    }
    report.units.push_back(std::move(u));
    for (const Totals& t : tally.region(int(r), b)) {
      add_counts(def, report, report.units.size() - 1, t.contest, t.sums, t.reported, t.expected);
    }
  }
  return render(def, report);
}

std::string cdf_precinct(const Definition& def, Ballot b, int region,
                         const std::vector<TpsResult>& results, const std::string& generated) {
  Report report{b, "precinct-level", generated, {}, {}};
  auto registered = registered_by_region(def, b);
  // The regions above, from the nation down, each made of the next.
  std::vector<int> chain;
  for (int r = region; r >= 0; r = def.regions[std::size_t(r)].parent) chain.push_back(r);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    bool last = it + 1 == chain.rend();
    const std::string& code = def.regions[std::size_t(*it)].code;
    Unit u{unit_id(code), *it, -1, {}, last, registered[*it], 0, 0, 0, 0, 0};
    if (!last) u.composing.push_back(unit_id(def.regions[std::size_t(*(it + 1))].code));
    report.units.push_back(std::move(u));
  }
  std::size_t top = report.units.size() - 1;
  // Sums per unit and contest, from the TPS up.
  std::map<std::pair<std::size_t, int>, Counts> sums;
  auto add = [&](std::size_t unit, int contest, const CurrentResult* cur) {
    Counts& k = sums[{unit, contest}];
    k.unit = unit;
    if (k.sums.empty()) k.sums.assign(def.contests[std::size_t(contest)].layout.fields.size(), 0);
    k.expected += 1;
    if (!cur) return;
    k.reported += 1;
    for (std::size_t i = 0; i < cur->values.size(); ++i) k.sums[i] += cur->values[i];
  };
  std::unordered_map<int, std::size_t> desa_unit;
  for (const TpsResult& r : results) {
    const Tps& t = def.tps[std::size_t(r.tps)];
    std::size_t desa = top;
    if (t.region != region) {
      auto [it, fresh] = desa_unit.try_emplace(t.region, report.units.size());
      if (fresh) {
        const Region& d = def.regions[std::size_t(t.region)];
        report.units[top].composing.push_back(unit_id(d.code));
        report.units.push_back(
            {unit_id(d.code), t.region, -1, {}, true, registered[t.region], 0, 0, 0, 0, 0});
      }
      desa = it->second;
    }
    report.units[desa].composing.push_back(unit_id(t.code));
    report.units.push_back({unit_id(t.code), -1, r.tps, {}, true, t.dpt(), 0, 0, 0, 0, 0});
    const CurrentResult* cur = r.current ? &*r.current : nullptr;
    add(report.units.size() - 1, r.contest, cur);
    if (desa != top) add(desa, r.contest, cur);
    add(top, r.contest, cur);
  }
  // In unit order, so each contest's counts start with the region's own.
  for (auto& [key, k] : sums) {
    add_counts(def, report, key.first, key.second, std::move(k.sums), k.reported, k.expected);
  }
  return render(def, report);
}

}  // namespace rekap::publish
