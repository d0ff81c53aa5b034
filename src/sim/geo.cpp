#include "sim/geo.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <utility>

#include "core/csv.hpp"
#include "core/region_code.hpp"
#include "util/files.hpp"

namespace rekap::sim {

namespace {

// Limits from UU 7/2017: DPD 4 seats per province, DPR dapil 3-10 seats, DPRD dapil 3-12.
constexpr int kDpdSeats = 4;
constexpr int kMinDapilSeats = 3;
constexpr int kMaxDprDapilSeats = 10;
constexpr int kMaxDprdDapilSeats = 12;
// The usual size of a DPRD kab/kota dapil (17,510 seats over 2,325 dapils in 2024).
constexpr int kDprdkSeatsPerDapil = 8;
const std::string kOverseasCode = "99";

// splitmix64: fast and well mixed, enough for synthetic data.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  // Uniform in [lo, hi].
  int between(int lo, int hi) { return lo + int(next() % std::uint64_t(hi - lo + 1)); }
  template <std::size_t N>
  const char* pick(const std::array<const char*, N>& words) {
    return words[next() % N];
  }

 private:
  std::uint64_t state_;
};

struct PartyRow {
  int number;
  const char* abbrev;
  const char* name;
  const char* province;  // "" for a national party
};

// The 2024 parties. Numbers follow the simulator's contract (national 1-18, Aceh's local
// parties 19-24); in 2024 Partai Ummat was 24 and the local parties 18-23.
constexpr std::array<PartyRow, 24> kParties = {{
    {1, "PKB", "Partai Kebangkitan Bangsa", ""},
    {2, "GERINDRA", "Partai Gerakan Indonesia Raya", ""},
    {3, "PDIP", "Partai Demokrasi Indonesia Perjuangan", ""},
    {4, "GOLKAR", "Partai Golongan Karya", ""},
    {5, "NASDEM", "Partai NasDem", ""},
    {6, "BURUH", "Partai Buruh", ""},
    {7, "GELORA", "Partai Gelombang Rakyat Indonesia", ""},
    {8, "PKS", "Partai Keadilan Sejahtera", ""},
    {9, "PKN", "Partai Kebangkitan Nusantara", ""},
    {10, "HANURA", "Partai Hati Nurani Rakyat", ""},
    {11, "GARUDA", "Partai Garda Republik Indonesia", ""},
    {12, "PAN", "Partai Amanat Nasional", ""},
    {13, "PBB", "Partai Bulan Bintang", ""},
    {14, "DEMOKRAT", "Partai Demokrat", ""},
    {15, "PSI", "Partai Solidaritas Indonesia", ""},
    {16, "PERINDO", "Partai Persatuan Indonesia", ""},
    {17, "PPP", "Partai Persatuan Pembangunan", ""},
    {18, "UMMAT", "Partai Ummat", ""},
    {19, "PNA", "Partai Nanggroe Aceh", "11"},
    {20, "GABTHAT", "Partai Generasi Atjeh Beusaboh Thaat dan Taqwa", "11"},
    {21, "PDA", "Partai Darul Aceh", "11"},
    {22, "PA", "Partai Aceh", "11"},
    {23, "PAS ACEH", "Partai Adil Sejahtera Aceh", "11"},
    {24, "SIRA", "Partai Soliditas Independen Rakyat Aceh", "11"},
}};

constexpr std::array<const char*, 16> kPlaceHeads = {
    "TANJUNG", "BATU",  "BUKIT", "SUNGAI", "PADANG", "KAMPUNG", "LHOK",  "BLANG",
    "KRUENG",  "PULAU", "AIR",   "TELUK",  "UJUNG",  "RANTAU",  "KUALA", "SIMPANG"};
constexpr std::array<const char*, 16> kPlaceTails = {
    "JAYA", "SARI",  "MAKMUR", "INDAH", "BARU",    "LAMA",   "MULIA",  "MEKAR",
    "RAYA", "TIMUR", "BARAT",  "UTARA", "SELATAN", "TENGAH", "PERMAI", "SEJAHTERA"};
constexpr std::array<const char*, 20> kGivenNames = {
    "AHMAD", "SITI",  "BUDI",  "DEWI", "RUDI", "NUR",  "AGUS", "RINA",  "HENDRA", "YULIA",
    "FAJAR", "INDAH", "RIZKI", "MAYA", "DEDI", "LINA", "ARIF", "PUTRI", "TEUKU",  "CUT"};
constexpr std::array<const char*, 20> kFamilyNames = {
    "SANTOSO",   "HIDAYAT",  "SAPUTRA",  "LESTARI", "KURNIAWAN", "WIJAYA",  "SETIAWAN",
    "PRATAMA",   "RAHMAN",   "NASUTION", "SIREGAR", "HARAHAP",   "MAULANA", "FITRIANI",
    "SYAHPUTRA", "ISKANDAR", "HASAN",    "YUSUF",   "MAHMUD",    "ABDULLAH"};
constexpr std::array<std::pair<const char*, const char*>, 8> kCountries = {{
    {"MALAYSIA", "KUALA LUMPUR"},
    {"ARAB SAUDI", "JEDDAH"},
    {"HONG KONG", "HONG KONG"},
    {"TAIWAN", "TAIPEI"},
    {"SINGAPURA", "SINGAPURA"},
    {"JEPANG", "TOKYO"},
    {"KOREA SELATAN", "SEOUL"},
    {"BELANDA", "DEN HAAG"},
}};

std::string place_name(Rng& rng) {
  return std::string(rng.pick(kPlaceHeads)) + " " + rng.pick(kPlaceTails);
}

std::string person_name(Rng& rng) {
  return std::string(rng.pick(kGivenNames)) + " " + rng.pick(kFamilyNames);
}

std::string roman(int n) {
  static constexpr std::array<std::pair<int, const char*>, 5> kDigits = {
      {{10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}}};
  std::string out;
  for (const auto& [value, digits] : kDigits) {
    for (; n >= value; n -= value) out += digits;
  }
  return out;
}

// A region while the geography is built; TPS are kept apart.
struct Node {
  std::string code;
  std::string name;
  int parent = -1;
  std::vector<int> children;
  int tps = 0;  // TPS inside, to balance dapils
};

struct TpsRow {
  std::string code;
  int dpt_l = 0;
  int dpt_p = 0;
};

struct Geo {
  std::vector<Node> regions;
  std::vector<TpsRow> tps;
  std::vector<int> roots;  // provinces in code order, overseas last

  int add(int parent, std::string code, std::string name) {
    int id = int(regions.size());
    regions.push_back({std::move(code), std::move(name), parent, {}, 0});
    if (parent >= 0) regions[parent].children.push_back(id);
    return id;
  }
};

std::string child_code(const std::string& parent, int number, std::size_t digits) {
  std::string n = std::to_string(number);
  if (number < 1 || n.size() > digits) {
    throw std::invalid_argument("shape too large: region " + parent + " would need child number " +
                                n + ", more than " + std::to_string(digits) + " digits hold");
  }
  return parent + std::string(digits - n.size(), '0') + n;
}

// The number of children of each parent.
std::vector<int> spread(const Spread& s, std::size_t parents, const char* what, Rng& rng) {
  if (s.total <= 0) {
    if (s.each < 1) {
      throw std::invalid_argument(std::string("shape: each region needs 1 or more ") + what);
    }
    return std::vector<int>(parents, s.each);
  }
  if (parents == 0 || std::size_t(s.total) < parents) {
    throw std::invalid_argument("shape: " + std::to_string(s.total) + " " + what +
                                " cannot give each of " + std::to_string(parents) + " parents one");
  }
  // Weights from 1 to 3 give counts from about half to one and a half times the mean.
  std::vector<std::uint64_t> weights(parents);
  std::uint64_t sum = 0;
  for (auto& w : weights) sum += (w = 1000 + rng.next() % 2001);
  std::uint64_t rest = std::uint64_t(s.total) - parents;
  std::vector<int> counts(parents);
  std::uint64_t given = 0;
  for (std::size_t i = 0; i < parents; ++i) {
    counts[i] = 1 + int(rest * weights[i] / sum);
    given += std::uint64_t(counts[i]);
  }
  // Rounding down leaves fewer than `parents` over; hand them out from a random start.
  for (std::size_t i = rng.next() % parents; given < std::uint64_t(s.total);
       i = (i + 1) % parents) {
    ++counts[i];
    ++given;
  }
  return counts;
}

// Adds the children of every parent, numbered from `first` with `digits` digits; returns them
// in code order. `name(parent, i)` names the i-th child of a parent.
template <typename Name>
std::vector<int> fill_level(Geo& g, const std::vector<int>& parents, const Spread& s,
                            const char* what, std::size_t digits, int first, Name name, Rng& rng) {
  std::vector<int> counts = spread(s, parents.size(), what, rng);
  std::vector<int> out;
  for (std::size_t p = 0; p < parents.size(); ++p) {
    for (int i = 0; i < counts[p]; ++i) {
      int parent = parents[p];
      out.push_back(
          g.add(parent, child_code(g.regions[parent].code, first + i, digits), name(parent, i)));
    }
  }
  return out;
}

void add_tps(Geo& g, const std::vector<int>& desas, const Spread& s, Range voters, Rng& rng) {
  std::vector<int> counts = spread(s, desas.size(), "TPS", rng);
  for (std::size_t d = 0; d < desas.size(); ++d) {
    for (int i = 0; i < counts[d]; ++i) {
      int dpt = rng.between(voters.lo, voters.hi);
      // Men and women each make up 47-53% of a TPS's voters.
      int dpt_l = dpt * rng.between(47, 53) / 100;
      g.tps.push_back({child_code(g.regions[desas[d]].code, i + 1, 3), dpt_l, dpt - dpt_l});
    }
    for (int r = desas[d]; r >= 0; r = g.regions[r].parent) g.regions[r].tps += counts[d];
  }
}

Geo build_geo(const Shape& shape, Rng& rng) {
  if (shape.voters.lo < 1 || shape.voters.lo > shape.voters.hi ||
      shape.voters.hi > kMaxVotersPerTps) {
    throw std::invalid_argument("shape: voters per TPS must lie within 1.." +
                                std::to_string(kMaxVotersPerTps));
  }
  Geo g;
  std::vector<int> kabs;
  for (const ProvinceShape& p : shape.provinces) {
    if (level_of_code(p.code) != Level::province || p.code == kOverseasCode ||
        (!g.roots.empty() && p.code <= g.regions[g.roots.back()].code)) {
      throw std::invalid_argument("shape: province `" + p.code +
                                  "` must be 2 digits other than 99, in ascending order");
    }
    if (p.kabkota < 1) {
      throw std::invalid_argument("shape: province " + p.code + " has no kab/kota");
    }
    int province = g.add(-1, p.code, p.name);
    g.roots.push_back(province);
    // As in the commission's codes, kabupaten are numbered from 01 and kota from 71.
    int kota = p.kabkota / 5;
    int kab = p.kabkota - kota;
    if (kab > 70) {
      throw std::invalid_argument("shape: province " + p.code + " has too many kab/kota");
    }
    for (int i = 0; i < p.kabkota; ++i) {
      bool is_kota = i >= kab;
      kabs.push_back(g.add(province, child_code(p.code, is_kota ? 71 + i - kab : i + 1, 2),
                           (is_kota ? "KOTA " : "KAB. ") + place_name(rng)));
    }
  }
  auto place = [&](int, int) { return place_name(rng); };
  auto kecs = fill_level(g, kabs, shape.kecamatan, "kecamatan", 2, 1, place, rng);
  auto desas = fill_level(g, kecs, shape.desa, "desa", 4, 2001, place, rng);
  add_tps(g, desas, shape.tps, shape.voters, rng);

  const OverseasShape& o = shape.overseas;
  if (o.countries > 0) {
    int root = g.add(-1, kOverseasCode, "LUAR NEGERI");
    g.roots.push_back(root);
    std::vector<int> countries;
    for (int i = 0; i < o.countries; ++i) {
      std::size_t k = std::size_t(i) % kCountries.size();
      std::string name = kCountries[k].first;
      if (i >= int(kCountries.size())) name += " " + std::to_string(i / kCountries.size() + 1);
      countries.push_back(g.add(root, child_code(kOverseasCode, i + 1, 2), name));
    }
    auto city = [&](int country, int i) {
      std::size_t k = std::size_t(country - countries.front()) % kCountries.size();
      std::string name = kCountries[k].second;
      return i == 0 ? name : name + " " + std::to_string(i + 1);
    };
    auto cities = fill_level(g, countries, o.cities, "cities", 2, 1, city, rng);
    auto post = [&](int c, int i) {
      std::string name = "PPLN " + g.regions[c].name;
      return i == 0 ? name : name + " " + std::to_string(i + 1);
    };
    auto posts = fill_level(g, cities, o.desa, "desa", 4, 2001, post, rng);
    add_tps(g, posts, o.tps, shape.voters, rng);
  }
  return g;
}

// Splits `units` (regions in code order) into `count` dapils of consecutive regions with about
// equal numbers of TPS. Where there are fewer units than dapils, the largest unit is replaced
// by its children first.
std::vector<std::vector<int>> partition(const Geo& g, std::vector<int> units, int count,
                                        const std::string& what) {
  if (count < 1) throw std::invalid_argument("shape: " + what + " needs 1 or more dapils");
  while (int(units.size()) < count) {
    auto big = units.end();
    for (auto it = units.begin(); it != units.end(); ++it) {
      const Node& n = g.regions[*it];
      if (!n.children.empty() && (big == units.end() || n.tps > g.regions[*big].tps)) big = it;
    }
    if (big == units.end()) {
      throw std::invalid_argument("shape: " + what + " has too few regions for " +
                                  std::to_string(count) + " dapils");
    }
    std::vector<int> children = g.regions[*big].children;
    big = units.erase(big);
    units.insert(big, children.begin(), children.end());
  }
  long total = 0;
  for (int u : units) total += g.regions[u].tps;
  std::vector<std::vector<int>> groups(1);
  long acc = 0;
  for (std::size_t i = 0; i < units.size(); ++i) {
    groups.back().push_back(units[i]);
    acc += g.regions[units[i]].tps;
    std::size_t left = units.size() - i - 1;
    std::size_t open = std::size_t(count) - groups.size();
    if (open > 0 && (left == open || acc * count >= total * long(groups.size()))) {
      groups.emplace_back();
    }
  }
  return groups;
}

std::vector<int> split_seats(int seats, int dapils, int max, const std::string& what) {
  if (seats < kMinDapilSeats * dapils || seats > max * dapils) {
    throw std::invalid_argument("shape: " + what + " cannot spread " + std::to_string(seats) +
                                " seats over " + std::to_string(dapils) + " dapils of " +
                                std::to_string(kMinDapilSeats) + " to " + std::to_string(max));
  }
  std::vector<int> out(std::size_t(dapils), seats / dapils);
  for (int i = 0; i < seats % dapils; ++i) ++out[std::size_t(i)];
  return out;
}

// Writes contests.csv and candidates.csv rows.
class ContestWriter {
 public:
  ContestWriter(const Shape& shape, Rng& rng) : shape_(shape), rng_(rng) {}

  void candidates(const std::string& id, Ballot ballot, const std::string& name, int seats,
                  const std::vector<std::string>& regions, int count) {
    contest(id, ballot, name, seats, regions);
    for (int n = 1; n <= count; ++n) {
      std::string who = person_name(rng_);
      if (ballot == Ballot::ppwp) who += " - " + person_name(rng_);
      candidates_ += id + ",," + std::to_string(n) + "," + csv_cell(who) + "\n";
    }
  }

  // A party-list contest in `province`, where its local parties run unless this is DPR.
  void lists(const std::string& id, Ballot ballot, const std::string& name, int seats,
             const std::vector<std::string>& regions, const std::string& province) {
    contest(id, ballot, name, seats, regions);
    int count = shape_.list_candidates > 0 ? shape_.list_candidates : seats;
    for (const PartyRow& p : kParties) {
      bool runs = p.province[0] == '\0' || (ballot != Ballot::pdpr && province == p.province);
      if (!runs) continue;
      for (int n = 1; n <= count; ++n) {
        candidates_ += id + "," + std::to_string(p.number) + "," + std::to_string(n) + "," +
                       csv_cell(person_name(rng_)) + "\n";
      }
    }
  }

  std::string contests_csv() const { return "id,ballot,name,seats,regions\n" + contests_; }
  std::string candidates_csv() const { return "contest,party,number,name\n" + candidates_; }

 private:
  void contest(const std::string& id, Ballot ballot, const std::string& name, int seats,
               const std::vector<std::string>& regions) {
    std::string codes;
    for (const auto& r : regions) codes += (codes.empty() ? "" : " ") + (r.empty() ? "*" : r);
    contests_ += id + "," + std::string(ballot_id(ballot)) + "," + csv_cell(name) + "," +
                 std::to_string(seats) + "," + codes + "\n";
  }

  const Shape& shape_;
  Rng& rng_;
  std::string contests_;
  std::string candidates_;
};

std::vector<std::string> codes_of(const Geo& g, const std::vector<int>& units) {
  std::vector<std::string> out;
  for (int u : units) out.push_back(g.regions[u].code);
  return out;
}

void write_contests(const Shape& shape, const Geo& g, ContestWriter& w, Rng& rng) {
  if (shape.dprdk_seats.lo < kMinDapilSeats || shape.dprdk_seats.lo > shape.dprdk_seats.hi) {
    throw std::invalid_argument("shape: DPRD kab/kota seats must be a range from 3 up");
  }
  w.candidates("ppwp", Ballot::ppwp, "PRESIDEN DAN WAKIL PRESIDEN", 1, {""}, shape.ppwp_pairs);
  const OverseasShape& o = shape.overseas;
  bool overseas_joined = false;
  for (std::size_t pi = 0; pi < shape.provinces.size(); ++pi) {
    const ProvinceShape& p = shape.provinces[pi];
    const Node& province = g.regions[g.roots[pi]];
    w.candidates("pdpd-" + p.code, Ballot::pdpd, "DPD " + p.name, kDpdSeats, {p.code},
                 shape.dpd_candidates);

    auto dpr = partition(g, province.children, p.dpr_dapils, "DPR in province " + p.code);
    auto dpr_seats =
        split_seats(p.dpr_seats, p.dpr_dapils, kMaxDprDapilSeats, "DPR in province " + p.code);
    for (std::size_t d = 0; d < dpr.size(); ++d) {
      auto regions = codes_of(g, dpr[d]);
      if (o.countries > 0 && o.dpr_province == p.code && int(d) == o.dpr_dapil) {
        regions.push_back(kOverseasCode);
        overseas_joined = true;
      }
      w.lists("pdpr-" + p.code + "-" + std::to_string(d + 1), Ballot::pdpr,
              "DPR " + p.name + " " + roman(int(d) + 1), dpr_seats[d], regions, p.code);
    }

    auto dprdp = partition(g, province.children, p.dprdp_dapils, "DPRD in province " + p.code);
    auto dprdp_seats = split_seats(p.dprdp_seats, p.dprdp_dapils, kMaxDprdDapilSeats,
                                   "DPRD in province " + p.code);
    for (std::size_t d = 0; d < dprdp.size(); ++d) {
      w.lists("pdprdp-" + p.code + "-" + std::to_string(d + 1), Ballot::pdprdp,
              "DPRD " + p.name + " " + std::to_string(d + 1), dprdp_seats[d], codes_of(g, dprdp[d]),
              p.code);
    }

    for (int kab : province.children) {
      const Node& k = g.regions[kab];
      int seats = rng.between(shape.dprdk_seats.lo, shape.dprdk_seats.hi);
      int fewest = (seats + kMaxDprdDapilSeats - 1) / kMaxDprdDapilSeats;
      int dapils = std::min((seats + kDprdkSeatsPerDapil - 1) / kDprdkSeatsPerDapil,
                            std::max(int(k.children.size()), fewest));
      auto groups = partition(g, k.children, dapils, "DPRD of kab/kota " + k.code);
      auto split = split_seats(seats, dapils, kMaxDprdDapilSeats, "DPRD of kab/kota " + k.code);
      for (std::size_t d = 0; d < groups.size(); ++d) {
        w.lists("pdprdk-" + k.code + "-" + std::to_string(d + 1), Ballot::pdprdk,
                "DPRD " + k.name + " " + std::to_string(d + 1), split[d], codes_of(g, groups[d]),
                p.code);
      }
    }
  }
  if (o.countries == 0) return;
  if (o.dpr_province.empty()) {
    split_seats(o.dpr_seats, 1, kMaxDprDapilSeats, "DPR abroad");
    w.lists("pdpr-" + kOverseasCode + "-1", Ballot::pdpr, "DPR LUAR NEGERI", o.dpr_seats,
            {kOverseasCode}, kOverseasCode);
  } else if (!overseas_joined) {
    throw std::invalid_argument("shape: overseas voters join DPR dapil " +
                                std::to_string(o.dpr_dapil + 1) + " of province " + o.dpr_province +
                                ", which the shape lacks");
  }
}

void write_region(const Geo& g, int r, std::string& out) {
  const Node& n = g.regions[r];
  out += n.code + "," + csv_cell(n.name) + "\n";
  for (int c : n.children) write_region(g, c, out);
}

}  // namespace

Shape shape_of(std::string_view scale) {
  Shape s;
  if (scale == "tiny") {
    s.provinces = {{"11", "ACEH", 2, 2, 13, 2, 20}};
    s.kecamatan = {2, 0};
    s.desa = {2, 0};
    s.tps = {3, 0};
    // The tiny overseas part joins Aceh's first DPR dapil, standing in for DKI Jakarta II.
    s.overseas = {1, {1, 0}, {1, 0}, {2, 0}, "11", 0, 3};
    s.dprdk_seats = {20, 24};  // two dapils per kab/kota, one per kecamatan
    s.list_candidates = 2;
  } else if (scale == "small") {
    // DKI Jakarta has more DPRD dapils than kab/kota, so some of its dapils are kecamatan.
    s.provinces = {{"11", "ACEH", 3, 2, 13, 3, 30}, {"31", "DKI JAKARTA", 3, 3, 21, 6, 72}};
    s.kecamatan = {3, 0};
    s.desa = {3, 0};
    s.tps = {4, 0};
    s.overseas = {2, {1, 0}, {1, 0}, {2, 0}, "31", 1, 3};
    s.dprdk_seats = {20, 35};
    s.list_candidates = 2;
  } else if (scale == "medium") {
    // A large province with full-length candidate lists: 8,000 TPS, for benchmarks.
    s.provinces = {{"32", "JAWA BARAT", 8, 3, 27, 4, 48}};
    s.kecamatan = {10, 0};
    s.desa = {10, 0};
    s.tps = {10, 0};
    s.dprdk_seats = {45, 55};
  } else if (scale == "large") {
    // Three big provinces, 180,000 TPS: a log of over a million entries, for benchmarks.
    s.provinces = {{"32", "JAWA BARAT", 25, 11, 91, 15, 120},
                   {"33", "JAWA TENGAH", 25, 10, 77, 13, 120},
                   {"35", "JAWA TIMUR", 25, 11, 87, 14, 120}};
    s.kecamatan = {20, 0};
    s.desa = {12, 0};
    s.tps = {10, 0};
    s.dprdk_seats = {45, 55};
  } else {
    std::string known;
    for (auto k : kScales) known += (known.empty() ? "" : ", ") + std::string(k);
    throw std::invalid_argument("unknown scale `" + std::string(scale) + "` (known: " + known +
                                ")");
  }
  return s;
}

DefinitionFiles generate_geo(const Shape& shape, std::uint64_t seed,
                             const std::string& election_id) {
  Rng rng(seed);
  Geo g = build_geo(shape, rng);
  DefinitionFiles files;
  files["election.csv"] = "id,name,date\n" + election_id + "," +
                          csv_cell("Pemilu 2024 (simulasi " + election_id + ")") + ",2024-02-14\n";
  std::string regions = "code,name\n";
  for (int r : g.roots) write_region(g, r, regions);
  files["regions.csv"] = std::move(regions);
  std::string tps = "code,dpt_l,dpt_p\n";
  for (const TpsRow& t : g.tps) {
    tps += t.code + "," + std::to_string(t.dpt_l) + "," + std::to_string(t.dpt_p) + "\n";
  }
  files["tps.csv"] = std::move(tps);
  std::string parties = "number,abbrev,name,province\n";
  for (const PartyRow& p : kParties) {
    bool present = std::any_of(shape.provinces.begin(), shape.provinces.end(),
                               [&](const ProvinceShape& s) { return s.code == p.province; });
    if (p.province[0] != '\0' && !present) continue;
    parties += std::to_string(p.number) + "," + csv_cell(p.abbrev) + "," + csv_cell(p.name) + "," +
               p.province + "\n";
  }
  files["parties.csv"] = std::move(parties);
  ContestWriter w(shape, rng);
  write_contests(shape, g, w, rng);
  files["contests.csv"] = w.contests_csv();
  files["candidates.csv"] = w.candidates_csv();
  return files;
}

DefinitionFiles generate_geo(const GeoOptions& options) {
  return generate_geo(shape_of(options.scale), options.seed,
                      "sim-" + options.scale + "-" + std::to_string(options.seed));
}

void write_definition_dir(const DefinitionFiles& files, const std::string& dir) {
  for (const auto& [name, text] : files)
    write_file_atomically(std::filesystem::path(dir) / name, text);
}

}  // namespace rekap::sim
