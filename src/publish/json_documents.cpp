#include "publish/json_documents.hpp"

#include <boost/json.hpp>

#include "crypto/encoding.hpp"
#include "http/json_answer.hpp"

namespace rekap::publish {

namespace json = boost::json;

namespace {

json::object region_ref(const Region& r) {
  return {{"code", r.code}, {"name", r.name}, {"level", level_name(r.level)}};
}

json::object progress(std::uint64_t reported, std::uint64_t total) {
  return {{"reported", reported}, {"total", total}};
}

template <typename T>
json::object named_values(const FormLayout& layout, const std::vector<T>& values) {
  json::object out;
  for (std::size_t i = 0; i < layout.fields.size(); ++i) {
    out[layout.fields[i].name] = values[i];
  }
  return out;
}

json::array parents_of(const Definition& def, int region) {
  json::array out;
  std::vector<int> chain;
  for (int r = def.regions[region].parent; r >= 0; r = def.regions[r].parent) chain.push_back(r);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it)
    out.push_back(region_ref(def.regions[*it]));
  return out;
}

json::object contests_of(const Definition& def, const Tally& tally, Ballot b, int region,
                         std::uint64_t& reported, std::uint64_t& total) {
  json::array contests;
  for (const Totals& t : tally.region(region, b)) {
    const Contest& c = def.contests[t.contest];
    contests.push_back(json::object{{"id", c.id},
                                    {"progress", progress(t.reported, t.expected)},
                                    {"totals", named_values(c.layout, t.sums)}});
    reported += t.reported;
    total += t.expected;
  }
  return {{"contests", std::move(contests)}};
}

json::object tps_entry(const Definition& def, Ballot b, int tps, const TpsValues& tps_values) {
  const Tps& t = def.tps[tps];
  json::object out{{"code", t.code}, {"name", "TPS " + t.code.substr(10)}, {"level", "tps"}};
  int c = t.contest[int(b)];
  json::array contests;
  std::uint64_t reported = 0;
  if (c >= 0) {
    auto values = tps_values(tps, b);
    reported = values ? 1 : 0;
    json::object contest{{"id", def.contests[c].id}, {"progress", progress(reported, 1)}};
    contest["totals"] =
        values ? json::value(named_values(def.contests[c].layout, *values)) : json::value(nullptr);
    contests.push_back(std::move(contest));
  }
  out["progress"] = progress(reported, c >= 0 ? 1 : 0);
  out["contests"] = std::move(contests);
  return out;
}

}  // namespace

json::value election_json(const Definition& def) {
  json::array ballots;
  for (Ballot b : kAllBallots) {
    json::array contests;
    for (const Contest& c : def.contests) {
      if (c.ballot == b) contests.push_back(json::value(c.id));
    }
    ballots.push_back(json::object{
        {"id", ballot_id(b)}, {"tps", def.tps_count(0, b)}, {"contests", std::move(contests)}});
  }
  json::array parties;
  for (const Party& p : def.parties) {
    parties.push_back(json::object{
        {"number", p.number}, {"abbrev", p.abbrev}, {"name", p.name}, {"province", p.province}});
  }
  std::array<std::uint64_t, 6> per_level{};
  for (const Region& r : def.regions) per_level[int(r.level)] += 1;
  std::uint64_t voters = 0;
  for (const Tps& t : def.tps) voters += t.dpt();
  return json::object{
      {"id", def.election_id},
      {"name", def.election_name},
      {"date", def.election_date},
      {"definition_sha256", to_hex(def.hash)},
      {"ballots", std::move(ballots)},
      {"parties", std::move(parties)},
      {"regions", json::object{{"provinsi", per_level[1]},
                               {"kabkota", per_level[2]},
                               {"kecamatan", per_level[3]},
                               {"kelurahan", per_level[4]},
                               {"tps", def.tps.size()}}},
      {"registered_voters", voters},
  };
}

json::value region_json(const Definition& def, int region) {
  const Region& r = def.regions[region];
  json::object out = region_ref(r);
  out["parents"] = parents_of(def, region);
  json::array children;
  for (int c : r.children) children.push_back(region_ref(def.regions[c]));
  for (int t : r.tps) {
    const Tps& tps = def.tps[t];
    children.push_back(json::object{{"code", tps.code},
                                    {"name", "TPS " + tps.code.substr(10)},
                                    {"level", "tps"},
                                    {"dpt", tps.dpt()}});
  }
  out["children"] = std::move(children);
  json::object counts;
  for (Ballot b : kAllBallots) counts[ballot_id(b)] = def.tps_count(region, b);
  out["tps"] = std::move(counts);
  return out;
}

json::value contest_json(const Definition& def, int contest) {
  const Contest& c = def.contests[contest];
  json::array regions;
  for (const auto& code : c.regions) regions.push_back(json::value(code));
  json::array parties;
  for (int n : c.parties) {
    const Party* p = def.find_party(n);
    parties.push_back(json::object{{"number", n}, {"abbrev", p->abbrev}, {"name", p->name}});
  }
  json::array candidates;
  for (const Candidate& cand : c.candidates) {
    json::object o{{"number", cand.number}, {"name", cand.name}};
    if (cand.party) o["party"] = cand.party;
    candidates.push_back(std::move(o));
  }
  json::array fields;
  for (const Field& f : c.layout.fields) {
    fields.push_back(
        json::object{{"name", f.name}, {"label", f.label}, {"section", section_name(f.section)}});
  }
  json::array constraints;
  for (const Constraint& k : c.layout.constraints) {
    json::array lhs;
    for (const Term& t : k.lhs) {
      lhs.push_back(json::object{{"field", c.layout.fields[t.field].name}, {"coef", t.coef}});
    }
    json::object o{{"rule", k.rule},
                   {"lhs", std::move(lhs)},
                   {"op", k.op == Constraint::Op::eq ? "==" : "<="},
                   {"subject", c.layout.fields[k.subject].name}};
    if (k.rhs_field >= 0) {
      o["rhs_field"] = c.layout.fields[k.rhs_field].name;
    } else {
      o["rhs_param"] = param_name(k.rhs_param);
    }
    constraints.push_back(std::move(o));
  }
  return json::object{{"id", c.id},
                      {"ballot", ballot_id(c.ballot)},
                      {"name", c.name},
                      {"seats", c.seats},
                      {"regions", std::move(regions)},
                      {"parties", std::move(parties)},
                      {"candidates", std::move(candidates)},
                      {"fields", std::move(fields)},
                      {"constraints", std::move(constraints)}};
}

json::value region_results_json(const Definition& def, const Tally& tally, Ballot b, int region,
                                const TpsValues& tps_values) {
  const Region& r = def.regions[region];
  std::uint64_t reported = 0, total = 0;
  json::object out{{"ballot", ballot_id(b)}, {"region", region_ref(r)}};
  out["parents"] = parents_of(def, region);
  out["contests"] = std::move(contests_of(def, tally, b, region, reported, total)["contests"]);
  out["progress"] = progress(reported, total);
  json::array children;
  for (int c : r.children) {
    std::uint64_t cr = 0, ct = 0;
    json::object child = region_ref(def.regions[c]);
    child["contests"] = std::move(contests_of(def, tally, b, c, cr, ct)["contests"]);
    child["progress"] = progress(cr, ct);
    children.push_back(std::move(child));
  }
  for (int t : r.tps) children.push_back(tps_entry(def, b, t, tps_values));
  out["children"] = std::move(children);
  return out;
}

json::value tps_results_json(const Definition& def, Ballot b, int tps,
                             const TpsValues& tps_values) {
  json::object entry = tps_entry(def, b, tps, tps_values);
  json::object out{
      {"ballot", ballot_id(b)},
      {"region", json::object{{"code", entry["code"]}, {"name", entry["name"]}, {"level", "tps"}}}};
  out["parents"] = parents_of(def, def.tps[tps].region);
  out["parents"].as_array().push_back(region_ref(def.regions[def.tps[tps].region]));
  out["contests"] = std::move(entry["contests"]);
  out["progress"] = std::move(entry["progress"]);
  out["children"] = json::array();
  return out;
}

json::value tps_json(const Definition& def, int tps, const std::vector<StoredStatement>& statements,
                     const std::vector<CurrentUpdate>& current) {
  const Tps& t = def.tps[tps];
  json::object out{{"code", t.code},
                   {"name", "TPS " + t.code.substr(10)},
                   {"dpt", json::object{{"l", t.dpt_l}, {"p", t.dpt_p}, {"j", t.dpt()}}}};
  out["parents"] = parents_of(def, t.region);
  out["parents"].as_array().push_back(region_ref(def.regions[t.region]));
  json::object ballots;
  for (Ballot b : kAllBallots) {
    int c = t.contest[int(b)];
    if (c < 0) continue;
    std::optional<std::uint64_t> in_force;
    for (const auto& cu : current) {
      if (cu.ballot == int(b)) in_force = cu.index;
    }
    json::array history;
    json::value now = nullptr;
    for (const StoredStatement& row : statements) {
      if (row.ballot != int(b)) continue;
      Statement st = decode_statement(row.body);
      json::array images;
      for (const auto& img : st.images) images.push_back(json::value(to_hex(img)));
      json::object version{{"index", row.index},
                           {"id", to_hex(row.id)},
                           {"type", statement_type_name(st.type)},
                           {"rev", st.rev},
                           {"signer", to_base64(st.signer)},
                           {"time", st.time},
                           {"received_ms", row.received_ms},
                           {"status", in_force == row.index ? "current" : "superseded"},
                           {"images", std::move(images)}};
      if (st.type == StatementType::correction) {
        version["reason"] = st.reason;
        version["supersedes"] = to_hex(st.supersedes);
      }
      json::object values;
      for (const auto& [name, value] : st.values) values[name] = value;
      version["values"] = std::move(values);
      if (in_force == row.index) now = version;
      history.push_back(std::move(version));
    }
    ballots[ballot_id(b)] = json::object{{"contest", def.contests[c].id},
                                         {"status", in_force ? "reported" : "missing"},
                                         {"current", std::move(now)},
                                         {"history", std::move(history)}};
  }
  out["ballots"] = std::move(ballots);
  return out;
}

json::value decision_json(const Decision& d, const Hash32& id) {
  if (d.kind != Decision::Kind::rejected) {
    return json::object{{"status", "accepted"}, {"id", to_hex(id)}, {"index", d.index}};
  }
  json::object out = http::error_json(d.code, d.message).as_object();
  if (!d.violations.empty()) {
    json::array v;
    for (const Violation& x : d.violations) {
      v.push_back(json::object{{"rule", x.rule},
                               {"field", x.field},
                               {"op", x.op},
                               {"expected", x.expected},
                               {"got", x.got}});
    }
    out["violations"] = std::move(v);
  }
  return out;
}

}  // namespace rekap::publish
