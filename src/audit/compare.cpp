#include "audit/compare.hpp"

#include <boost/json.hpp>

namespace rekap::audit {

namespace json = boost::json;

namespace {

template <typename T>
void compare_totals(const Contest& contest, const json::value& got, const std::vector<T>& want,
                    const std::string& where, std::vector<std::string>& out) {
  const json::object* obj = got.if_object();
  if (!obj) {
    out.push_back(where + " " + contest.id + ": no totals published");
    return;
  }
  const FormLayout& layout = contest.layout;
  for (std::size_t f = 0; f < layout.fields.size(); ++f) {
    const json::value* v = obj->if_contains(layout.fields[f].name);
    std::int64_t have = v && v->is_number() ? v->to_number<std::int64_t>() : -1;
    if (have != std::int64_t(want[f])) {
      out.push_back(where + " " + contest.id + " " + layout.fields[f].name + ": published " +
                    std::to_string(have) + ", recomputed " + std::to_string(want[f]));
    }
  }
}

void compare_contests(const Definition& def, const Tally& tally, Ballot b, int region,
                      const json::array& contests, const std::string& where,
                      std::vector<std::string>& out) {
  const auto& want = tally.region(region, b);
  if (contests.size() != want.size()) {
    out.push_back(where + ": " + std::to_string(contests.size()) + " contests published, " +
                  std::to_string(want.size()) + " expected");
  }
  for (const Totals& t : want) {
    const Contest& c = def.contests[t.contest];
    const json::object* found = nullptr;
    for (const auto& cj : contests) {
      if (cj.as_object().at("id").as_string() == c.id) found = &cj.as_object();
    }
    if (!found) {
      out.push_back(where + ": contest " + c.id + " is missing");
      continue;
    }
    const auto& progress = found->at("progress").as_object();
    std::int64_t reported = progress.at("reported").to_number<std::int64_t>();
    std::int64_t total = progress.at("total").to_number<std::int64_t>();
    if (reported != t.reported || total != t.expected) {
      out.push_back(where + " " + c.id + ": " + std::to_string(reported) + " of " +
                    std::to_string(total) + " TPS reported published, " +
                    std::to_string(t.reported) + " of " + std::to_string(t.expected) +
                    " recomputed");
    }
    compare_totals(c, found->at("totals"), t.sums, where, out);
  }
}

}  // namespace

Comparison compare_published(const Definition& def, const Tally& expected,
                             const TpsValues& tps_values, HttpClient& client) {
  Comparison result;
  auto& out = result.mismatches;
  for (Ballot b : kAllBallots) {
    for (std::size_t r = 0; r < def.regions.size(); ++r) {
      const Region& region = def.regions[r];
      std::string path = "/api/v1/results/" + std::string(ballot_id(b)) +
                         (region.code.empty() ? "" : "/" + region.code);
      std::string where =
          std::string(ballot_id(b)) + " " + (region.code.empty() ? "nasional" : region.code);
      auto res = client.get(path);
      if (res.status != 200) {
        out.push_back(where + ": GET " + path + " answered HTTP " + std::to_string(res.status));
        continue;
      }
      json::value doc = json::parse(res.body);
      compare_contests(def, expected, b, int(r), doc.at("contests").as_array(), where, out);
      for (const auto& child : doc.at("children").as_array()) {
        const json::object& co = child.as_object();
        std::string code(co.at("code").as_string());
        std::string at = std::string(ballot_id(b)) + " " + code;
        if (co.at("level").as_string() != "tps") {
          compare_contests(def, expected, b, def.find_region(code), co.at("contests").as_array(),
                           at, out);
          continue;
        }
        int t = def.find_tps(code);
        int c = t >= 0 ? def.tps[t].contest[int(b)] : -1;
        if (c < 0) continue;
        auto want = tps_values(t, b);
        const json::value& totals = co.at("contests").as_array().at(0).as_object().at("totals");
        if (!want) {
          if (!totals.is_null()) out.push_back(at + ": a result is published, none is in force");
          continue;
        }
        compare_totals(def.contests[c], totals, *want, at, out);
      }
      ++result.views;
    }
  }
  return result;
}

}  // namespace rekap::audit
