#include "publish/opendata/sirekap_documents.hpp"

#include <array>
#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "crypto/encoding.hpp"
#include "publish/opendata/wib_time.hpp"

namespace rekap::publish {

namespace json = boost::json;

namespace {

// Sirekap's administrasi keys, in its order; pengguna_non_dpt is the DPK.
constexpr std::array<std::pair<const char*, const char*>, 18> kAdministrasi = {{
    {"suara_sah", "suara_sah"},
    {"suara_total", "suara_total"},
    {"pemilih_dpt_j", "pemilih_dpt_j"},
    {"pemilih_dpt_l", "pemilih_dpt_l"},
    {"pemilih_dpt_p", "pemilih_dpt_p"},
    {"pengguna_dpt_j", "pengguna_dpt_j"},
    {"pengguna_dpt_l", "pengguna_dpt_l"},
    {"pengguna_dpt_p", "pengguna_dpt_p"},
    {"pengguna_dptb_j", "pengguna_dptb_j"},
    {"pengguna_dptb_l", "pengguna_dptb_l"},
    {"pengguna_dptb_p", "pengguna_dptb_p"},
    {"suara_tidak_sah", "suara_tidak_sah"},
    {"pengguna_total_j", "pengguna_total_j"},
    {"pengguna_total_l", "pengguna_total_l"},
    {"pengguna_total_p", "pengguna_total_p"},
    {"pengguna_non_dpt_j", "pengguna_dpk_j"},
    {"pengguna_non_dpt_l", "pengguna_dpk_l"},
    {"pengguna_non_dpt_p", "pengguna_dpk_p"},
}};
// Fields of rekap's form that Sirekap's administrasi did not have, added after its keys.
constexpr std::array<const char*, 7> kExtraAdministrasi = {
    "disabilitas_j", "disabilitas_l", "disabilitas_p", "ss_diterima",
    "ss_digunakan",  "ss_rusak",      "ss_sisa"};

// Sirekap's 2024 ids of the PPWP pairs: 100025 for pair 01, 100026 for 02, 100027 for 03.
constexpr int kPpwpIdBase = 100024;

// Sirekap's "mode" of its counting documents: hitung hasil C (the TPS forms).
constexpr const char* kMode = "hhcw";

// How many photos Sirekap's "images" holds: the pages of form C.Hasil, null where missing.
constexpr std::size_t kSirekapImages = 3;

// A candidate's key in a chart: PPWP pairs by Sirekap's ids, others by ballot number (see the
// header).
std::string candidate_key(Ballot b, int number) {
  return std::to_string(b == Ballot::ppwp ? kPpwpIdBase + number : number);
}

// Sirekap rounds the share of TPS reported to two decimals.
double percent(std::uint64_t part, std::uint64_t whole) {
  if (whole == 0) return 0;
  return std::round(10000.0 * double(part) / double(whole)) / 100.0;
}

std::int64_t field_value(const Contest& c, const std::vector<std::int64_t>& sums,
                         const std::string& name) {
  int f = c.layout.find(name);
  return f < 0 ? 0 : sums[std::size_t(f)];
}

// The chart of one or more contests' sums: party totals by party number, summed over the
// contests (a party's number is the same in every dapil), or candidate votes by number when
// there is one contest (a DPD candidate's number means something only within its province).
struct ChartSums {
  std::map<int, std::int64_t> by_key;
  std::set<int> contests;
};

void add_chart(const Definition& def, Ballot b, int contest, const std::vector<std::int64_t>& sums,
               ChartSums& out) {
  const Contest& c = def.contests[std::size_t(contest)];
  out.contests.insert(contest);
  if (is_party_ballot(b)) {
    for (int p : c.parties) out.by_key[p] += field_value(c, sums, "p" + std::to_string(p) + "t");
  } else {
    for (const Candidate& cand : c.candidates) {
      out.by_key[cand.number] += field_value(c, sums, "c" + std::to_string(cand.number));
    }
  }
}

void put_chart(Ballot b, const ChartSums& sums, json::object& out) {
  if (!is_party_ballot(b) && sums.contests.size() != 1) return;
  for (const auto& [key, votes] : sums.by_key) {
    out[is_party_ballot(b) ? std::to_string(key) : candidate_key(b, key)] = votes;
  }
}

// A table entry: the chart, the share of TPS reported, and Sirekap's "psu" and
// "status_progress"; before anything is reported, only the last three (as Sirekap had).
json::object table_entry(Ballot b, const ChartSums& sums, std::uint64_t reported,
                         std::uint64_t expected) {
  json::object entry;
  if (reported > 0) put_chart(b, sums, entry);
  entry["persen"] = percent(reported, expected);
  entry["psu"] = "Reguler";
  entry["status_progress"] = reported > 0;
  return entry;
}

std::vector<std::int64_t> widen(const std::vector<std::uint32_t>& values) {
  return {values.begin(), values.end()};
}

json::object region_document(Ballot b, const ChartSums& chart, std::uint64_t reported,
                             std::uint64_t expected, json::object table, const std::string& ts) {
  json::object chart_json;
  put_chart(b, chart, chart_json);
  chart_json["persen"] = percent(reported, expected);
  return {{"mode", kMode},
          {"chart", std::move(chart_json)},
          {"table", std::move(table)},
          {"progres", json::object{{"total", expected}, {"progres", reported}}},
          {"psu", "Reguler"},
          {"ts", ts}};
}

void serialize_to(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, value] : v.get_object()) {
        if (!first) out += ',';
        first = false;
        out += json::serialize(json::string_view(key));
        out += ':';
        serialize_to(value, out);
      }
      out += '}';
      return;
    }
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const json::value& value : v.get_array()) {
        if (!first) out += ',';
        first = false;
        serialize_to(value, out);
      }
      out += ']';
      return;
    }
    case json::kind::double_: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.2f", v.get_double());
      std::string text = buf;
      while (text.back() == '0') text.pop_back();
      if (text.back() == '.') text.pop_back();
      out += text;
      return;
    }
    default:
      out += json::serialize(v);
  }
}

}  // namespace

std::string sirekap_serialize(const json::value& doc) {
  std::string out;
  serialize_to(doc, out);
  return out;
}

std::string sirekap_path(Ballot b, const std::string& code) {
  std::string path = "pemilu/hhcw/" + std::string(ballot_id(b));
  // Each level's code is a prefix of the next: 2, 4, 6, 10 and 13 digits.
  for (std::size_t len : {2, 4, 6, 10, 13}) {
    if (code.size() >= len) path += "/" + code.substr(0, len);
  }
  return path + ".json";
}

json::value sirekap_region(const Definition& def, const Tally& tally, Ballot b, int region,
                           const std::string& ts) {
  ChartSums chart;
  std::uint64_t reported = 0, expected = 0;
  for (const Totals& t : tally.region(region, b)) {
    add_chart(def, b, t.contest, t.sums, chart);
    reported += t.reported;
    expected += t.expected;
  }
  json::object table;
  for (int child : def.regions[std::size_t(region)].children) {
    if (def.tps_count(child, b) == 0) continue;
    ChartSums sums;
    std::uint64_t r = 0, e = 0;
    for (const Totals& t : tally.region(child, b)) {
      add_chart(def, b, t.contest, t.sums, sums);
      r += t.reported;
      e += t.expected;
    }
    table[def.regions[std::size_t(child)].code] = table_entry(b, sums, r, e);
  }
  return region_document(b, chart, reported, expected, std::move(table), ts);
}

json::value sirekap_desa(const Definition& def, Ballot b, const std::vector<TpsResult>& results,
                         const std::string& ts) {
  ChartSums chart;
  std::uint64_t reported = 0;
  json::object table;
  for (const TpsResult& r : results) {
    ChartSums sums;
    if (r.current) {
      auto values = widen(r.current->values);
      add_chart(def, b, r.contest, values, sums);
      add_chart(def, b, r.contest, values, chart);
      ++reported;
    }
    table[def.tps[std::size_t(r.tps)].code] = table_entry(b, sums, r.current ? 1 : 0, 1);
  }
  return region_document(b, chart, reported, results.size(), std::move(table), ts);
}

json::value sirekap_tps(const Definition& def, const TpsResult& result, const std::string& ts) {
  const Contest& c = def.contests[std::size_t(result.contest)];
  if (!result.current) {
    return json::object{{"mode", kMode},
                        {"chart", nullptr},
                        {"images", json::array(kSirekapImages, nullptr)},
                        {"administrasi", nullptr},
                        {"psu", nullptr},
                        {"ts", ts},
                        {"status_suara", false},
                        {"status_adm", false},
                        {"rekap_images", json::array{}}};
  }
  const CurrentResult& cur = *result.current;
  auto value = [&](const std::string& name) -> std::int64_t {
    int f = c.layout.find(name);
    return f < 0 ? 0 : cur.values[std::size_t(f)];
  };
  // Sirekap's TPS charts open with a "null" key whose value is null.
  json::object chart{{"null", nullptr}};
  if (is_party_ballot(c.ballot)) {
    for (int p : c.parties) {
      std::string party = "p" + std::to_string(p);
      json::object votes{{"jml_suara_total", value(party + "t")},
                         {"jml_suara_partai", value(party)}};
      for (const Candidate& cand : c.candidates) {
        if (cand.party == p)
          votes[std::to_string(cand.number)] = value(party + "c" + std::to_string(cand.number));
      }
      chart[std::to_string(p)] = std::move(votes);
    }
  } else {
    for (const Candidate& cand : c.candidates) {
      chart[candidate_key(c.ballot, cand.number)] = value("c" + std::to_string(cand.number));
    }
  }
  json::array all_images;
  for (const Hash32& h : cur.images) {
    all_images.push_back(json::value("/api/v1/images/" + to_hex(h)));
  }
  json::array images(kSirekapImages, nullptr);
  for (std::size_t i = 0; i < kSirekapImages && i < all_images.size(); ++i) {
    images[i] = all_images[i];
  }
  json::object administrasi;
  for (const auto& [key, field] : kAdministrasi) administrasi[key] = value(field);
  for (const char* field : kExtraAdministrasi) administrasi[field] = value(field);
  return json::object{{"mode", kMode},
                      {"chart", std::move(chart)},
                      {"images", std::move(images)},
                      {"administrasi", std::move(administrasi)},
                      {"psu", nullptr},
                      {"ts", wib_timestamp(cur.received_ms)},
                      {"status_suara", true},
                      {"status_adm", true},
                      {"rekap_images", std::move(all_images)}};
}

json::value sirekap_paslon(const Definition& def, const std::string& ts) {
  json::object out;
  for (const Contest& c : def.contests) {
    if (c.ballot != Ballot::ppwp) continue;
    for (const Candidate& cand : c.candidates) {
      out[candidate_key(Ballot::ppwp, cand.number)] =
          json::object{{"ts", ts}, {"nama", cand.name}, {"warna", ""}, {"nomor_urut", cand.number}};
    }
  }
  return out;
}

json::value sirekap_partai(const Definition& def, const std::string& ts) {
  json::object out;
  for (const Party& p : def.parties) {
    out[std::to_string(p.number)] = json::object{{"ts", ts},
                                                 {"id_partai", p.number},
                                                 {"id_pilihan", p.number},
                                                 {"is_aceh", p.province == "11"},
                                                 {"nama", p.abbrev},
                                                 {"nama_lengkap", p.name},
                                                 {"nomor_urut", p.number},
                                                 {"warna", ""}};
  }
  return out;
}

std::string sirekap_wilayah_path(const std::string& code) {
  if (code.empty()) return "wilayah/pemilu/ppwp/0.json";
  std::string path = "wilayah/pemilu/ppwp";
  for (std::size_t len : {2, 4, 6, 10}) {
    if (code.size() >= len) path += "/" + code.substr(0, len);
  }
  return path + ".json";
}

json::value sirekap_wilayah(const Definition& def, int region) {
  const Region& r = def.regions[std::size_t(region)];
  json::array out;
  // Sirekap's "tingkat": 1 a province down to 5 a TPS. Its "id" was an internal number; rekap
  // gives the code's value, which is as unique.
  const auto entry = [](const std::string& code, const std::string& name, int tingkat) {
    return json::object{
        {"id", std::stoll(code)}, {"nama", name}, {"kode", code}, {"tingkat", tingkat}};
  };
  if (r.level == Level::desa) {
    for (int t : r.tps) {
      const std::string& code = def.tps[std::size_t(t)].code;
      out.push_back(entry(code, "TPS " + code.substr(code.size() - 3), 5));
    }
    return out;
  }
  for (int child : r.children) {
    const Region& c = def.regions[std::size_t(child)];
    out.push_back(entry(c.code, c.name, int(c.level)));
  }
  return out;
}

}  // namespace rekap::publish
