#include "reports/views.hpp"

#include <boost/json.hpp>

#include "crypto/encoding.hpp"

namespace rekap::reports {

namespace json = boost::json;

namespace {

json::object ballot_counts(const ReportCounts& counts) {
  json::object out;
  for (Ballot b : kAllBallots) out[ballot_id(b)] = counts.ballots[std::size_t(b)];
  return out;
}

json::array reports_json(const std::vector<Report>& reports) {
  json::array out;
  for (const Report& r : reports) out.push_back(report_json(r));
  return out;
}

// The name of a region or TPS by code, as the API's documents call it.
std::string name_of(const Definition& def, const std::string& code) {
  if (int t = def.find_tps(code); t >= 0) return "TPS " + code.substr(10);
  int r = def.find_region(code);
  return r < 0 ? "" : def.regions[std::size_t(r)].name;
}

json::array groups_json(const Definition& def, const std::vector<ReportGroup>& groups) {
  json::array out;
  for (const ReportGroup& g : groups) {
    out.push_back(json::object{{"code", g.code},
                               {"name", name_of(def, g.code)},
                               {"total", g.count},
                               {"latest_ms", g.latest_ms}});
  }
  return out;
}

}  // namespace

json::value report_json(const Report& r) {
  json::array fields;
  for (const auto& f : r.fields) fields.push_back(json::value(f));
  json::object out{{"id", r.id},
                   {"tps", r.tps},
                   {"ballot", ballot_id(Ballot(r.ballot))},
                   {"fields", std::move(fields)},
                   {"text", r.text},
                   {"received_ms", r.received_ms}};
  if (r.statement) out["statement"] = to_hex(*r.statement);
  if (r.image) out["image"] = to_hex(*r.image);
  return out;
}

json::value tps_reports_json(const Definition& def, int tps, const ReportCounts& counts,
                             const std::vector<Report>& newest) {
  const Tps& t = def.tps[std::size_t(tps)];
  json::object ballots;
  for (Ballot b : kAllBallots) {
    if (t.contest[int(b)] < 0) continue;
    json::object fields;
    for (const auto& [key, n] : counts.fields) {
      if (key.first == int(b)) fields[key.second] = n;
    }
    ballots[ballot_id(b)] =
        json::object{{"total", counts.ballots[std::size_t(b)]}, {"fields", std::move(fields)}};
  }
  return json::object{{"tps", t.code},
                      {"name", name_of(def, t.code)},
                      {"total", counts.total},
                      {"ballots", std::move(ballots)},
                      {"reports", reports_json(newest)}};
}

json::value region_reports_json(const Definition& def, int region, const ReportCounts& counts,
                                const std::vector<ReportGroup>& children,
                                const std::vector<ReportGroup>& top_tps,
                                const std::vector<Report>& newest) {
  const Region& r = def.regions[std::size_t(region)];
  return json::object{{"code", r.code},
                      {"name", r.name},
                      {"level", level_name(r.level)},
                      {"total", counts.total},
                      {"tps", counts.tps},
                      {"ballots", ballot_counts(counts)},
                      {"children", groups_json(def, children)},
                      {"top_tps", groups_json(def, top_tps)},
                      {"reports", reports_json(newest)}};
}

}  // namespace rekap::reports
