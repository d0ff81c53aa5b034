#include "sim/geo.hpp"

#include <algorithm>
#include <filesystem>
#include <numeric>
#include <span>
#include <stdexcept>
#include <unordered_map>
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
// UU 7/2017 art. 191: a kab/kota of up to 100,000 people has 20 DPRD seats, and 5 more past
// each of these sizes, up to 55.
constexpr int kDprdkMinSeats = 20;
constexpr int kDprdkStepSeats = 5;
constexpr std::array<double, 7> kDprdkSteps = {1e5, 2e5, 3e5, 4e5, 5e5, 1e6, 3e6};
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

// The parties of Pemilu 2024 with the numbers KPU gave them (Keputusan KPU 518, 519 and 552 of
// 2022): the national parties 1-17 and 24 (Partai Ummat, admitted last), and Aceh's local
// parties 18-23, which stand for the DPRD in Aceh only.
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
    {11, "GARUDA", "Partai Garda Perubahan Indonesia", ""},
    {12, "PAN", "Partai Amanat Nasional", ""},
    {13, "PBB", "Partai Bulan Bintang", ""},
    {14, "DEMOKRAT", "Partai Demokrat", ""},
    {15, "PSI", "Partai Solidaritas Indonesia", ""},
    {16, "PERINDO", "Partai Persatuan Indonesia", ""},
    {17, "PPP", "Partai Persatuan Pembangunan", ""},
    {18, "PNA", "Partai Nanggroe Aceh", "11"},
    {19, "GABTHAT", "Partai Generasi Atjeh Beusaboh Thaat dan Taqwa", "11"},
    {20, "PDA", "Partai Darul Aceh", "11"},
    {21, "PA", "Partai Aceh", "11"},
    {22, "PAS ACEH", "Partai Adil Sejahtera Aceh", "11"},
    {23, "SIRA", "Partai Soliditas Independen Rakyat Aceh", "11"},
    {24, "UMMAT", "Partai Ummat", ""},
}};

// The presidential and vice-presidential pairs of 2024, numbered as KPU drew them.
constexpr std::array<const char*, 3> kPpwpPairs = {"ANIES RASYID BASWEDAN - MUHAIMIN ISKANDAR",
                                                   "PRABOWO SUBIANTO - GIBRAN RAKABUMING RAKA",
                                                   "GANJAR PRANOWO - MAHFUD MD"};

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
// Where most Indonesians abroad vote first; the national scale has a country for each.
constexpr std::array<std::pair<const char*, const char*>, 36> kCountries = {{
    {"MALAYSIA", "KUALA LUMPUR"},
    {"ARAB SAUDI", "JEDDAH"},
    {"HONG KONG", "HONG KONG"},
    {"TAIWAN", "TAIPEI"},
    {"SINGAPURA", "SINGAPURA"},
    {"JEPANG", "TOKYO"},
    {"KOREA SELATAN", "SEOUL"},
    {"BELANDA", "DEN HAAG"},
    {"AMERIKA SERIKAT", "WASHINGTON DC"},
    {"AUSTRALIA", "SYDNEY"},
    {"PERSATUAN EMIRAT ARAB", "DUBAI"},
    {"QATAR", "DOHA"},
    {"KUWAIT", "KUWAIT CITY"},
    {"BRUNEI DARUSSALAM", "BANDAR SERI BEGAWAN"},
    {"TIONGKOK", "BEIJING"},
    {"JERMAN", "BERLIN"},
    {"INGGRIS", "LONDON"},
    {"PERANCIS", "PARIS"},
    {"MESIR", "KAIRO"},
    {"TURKI", "ANKARA"},
    {"THAILAND", "BANGKOK"},
    {"FILIPINA", "MANILA"},
    {"VIETNAM", "HANOI"},
    {"TIMOR LESTE", "DILI"},
    {"INDIA", "NEW DELHI"},
    {"PAKISTAN", "ISLAMABAD"},
    {"RUSIA", "MOSKOW"},
    {"ITALIA", "ROMA"},
    {"SPANYOL", "MADRID"},
    {"KANADA", "OTTAWA"},
    {"SELANDIA BARU", "WELLINGTON"},
    {"BRASIL", "BRASILIA"},
    {"AFRIKA SELATAN", "PRETORIA"},
    {"YORDANIA", "AMMAN"},
    {"OMAN", "MUSKAT"},
    {"SUDAN", "KHARTUM"},
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

// Where random draws come from: one stream for everything or, for a shape with real regions,
// one for each province and one for abroad, so that no part's draws depend on whether another
// part is generated.
class Streams {
 public:
  Streams(std::uint64_t seed, const Shape& shape) : split_(shape.wilayah != nullptr) {
    rngs_.emplace_back(seed);
    if (!split_) return;
    for (const ProvinceShape& p : shape.provinces) rngs_.push_back(stream(seed, p.code));
    rngs_.push_back(stream(seed, kOverseasCode));
  }
  Rng& province(std::size_t i) { return rngs_[split_ ? i + 1 : 0]; }
  Rng& overseas() { return rngs_.back(); }

 private:
  // Seeded from a hash, so that the streams start far apart in the generator's cycle.
  static Rng stream(std::uint64_t seed, const std::string& code) {
    std::uint64_t h = seed;
    for (char c : code) h = h * 0x100000001b3ULL + std::uint64_t(c);
    return Rng(Rng(h).next());
  }

  bool split_;
  std::vector<Rng> rngs_;
};

// True when one code contains the other: the region lies inside `within` or encloses it.
bool related(std::string_view code, std::string_view within) {
  return code_within(code, within) || code_within(within, code);
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
  std::vector<int> provinces;  // per province of the shape; -1 where it is not generated
  int overseas = -1;

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

// Adds counts[d] TPS to desas[d], numbered from 001, each with voters drawn from `voters`.
void add_tps(Geo& g, const std::vector<int>& desas, const std::vector<int>& counts, Range voters,
             Rng& rng) {
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

int kota_count(const ProvinceShape& p) {
  return p.kota >= 0 ? p.kota : p.kabkota / 5;
}

// The codes of a province's kab/kota: as in the commission's codes, kabupaten are numbered from
// 01 and kota from 71.
std::vector<std::string> kabkota_codes(const ProvinceShape& p) {
  int kota = kota_count(p);
  std::vector<std::string> out;
  for (int i = 1; i <= p.kabkota - kota; ++i) out.push_back(child_code(p.code, i, 2));
  for (int i = 0; i < kota; ++i) out.push_back(child_code(p.code, 71 + i, 2));
  return out;
}

// The real regions of a province (itself first) or of any region: a run of the wilayah, as its
// codes ascend.
std::span<const WilayahRegion> regions_within(const Wilayah& w, std::string_view code) {
  auto first =
      std::lower_bound(w.regions.begin(), w.regions.end(), code,
                       [](const WilayahRegion& r, std::string_view c) { return r.code < c; });
  auto last = std::partition_point(
      first, w.regions.end(), [&](const WilayahRegion& r) { return code_within(r.code, code); });
  return {first, last};
}

// Checks what the generator relies on before anything is drawn.
void check_shape(const Shape& shape) {
  if (shape.voters.lo < 1 || shape.voters.lo > shape.voters.hi ||
      shape.voters.hi > kMaxVotersPerTps) {
    throw std::invalid_argument("shape: voters per TPS must lie within 1.." +
                                std::to_string(kMaxVotersPerTps));
  }
  for (std::size_t pi = 0; pi < shape.provinces.size(); ++pi) {
    const ProvinceShape& p = shape.provinces[pi];
    if (level_of_code(p.code) != Level::province || p.code == kOverseasCode ||
        (pi > 0 && p.code <= shape.provinces[pi - 1].code)) {
      throw std::invalid_argument("shape: province `" + p.code +
                                  "` must be 2 digits other than 99, in ascending order");
    }
    if (shape.wilayah) {
      if (regions_within(*shape.wilayah, p.code).empty()) {
        throw std::invalid_argument("shape: province " + p.code + " is not in " +
                                    shape.wilayah->source);
      }
      continue;
    }
    if (p.kabkota < 1) {
      throw std::invalid_argument("shape: province " + p.code + " has no kab/kota");
    }
    if (kota_count(p) > p.kabkota || p.kabkota - kota_count(p) > 70) {
      throw std::invalid_argument("shape: province " + p.code + " has too many kab/kota");
    }
  }
  if (shape.wilayah) {
    for (const WilayahRegion& r : shape.wilayah->regions) {
      if (r.code.size() != 2) continue;
      auto p = std::find_if(shape.provinces.begin(), shape.provinces.end(),
                            [&](const ProvinceShape& p) { return p.code == r.code; });
      if (p == shape.provinces.end()) {
        throw std::invalid_argument("shape: " + shape.wilayah->source + " has province " + r.code +
                                    " " + r.name + ", to which the shape allots no seats");
      }
    }
  }
  if ((shape.dprdk_total_seats > 0 || shape.dprdk_total_dapils > 0) &&
      (!shape.wilayah || shape.dprdk_total_seats <= 0 || shape.dprdk_total_dapils <= 0)) {
    throw std::invalid_argument(
        "shape: DPRD kab/kota totals need both seats and dapils, and real regions");
  }
}

// The codes of a province's kab/kota, in order.
std::vector<std::string> kabkota_codes(const Shape& shape, const ProvinceShape& p) {
  if (!shape.wilayah) return kabkota_codes(p);
  std::vector<std::string> out;
  for (const WilayahRegion& r : regions_within(*shape.wilayah, p.code)) {
    if (r.code.size() == 4) out.push_back(r.code);
  }
  return out;
}

// Why `shape.within` names no region of the shape; "" when it does (or is empty).
std::string within_problem(const Shape& shape) {
  const std::string& code = shape.within;
  if (code.empty()) return "";
  auto level = level_of_code(code);
  if (level != Level::province && level != Level::kabkota) {
    return "`" + code + "` is neither a province code (2 digits) nor a kab/kota code (4 digits)";
  }
  std::string province = code.substr(0, 2);
  auto p = std::find_if(shape.provinces.begin(), shape.provinces.end(),
                        [&](const ProvinceShape& p) { return p.code == province; });
  if (p == shape.provinces.end()) {
    std::string known;
    for (const ProvinceShape& q : shape.provinces) known += (known.empty() ? "" : ", ") + q.code;
    return "no province " + province + " (known: " + known + ")";
  }
  auto codes = kabkota_codes(shape, *p);
  if (level == Level::province || std::find(codes.begin(), codes.end(), code) != codes.end()) {
    return "";
  }
  // Kabupaten are numbered from 01, kota from 71.
  auto kota = std::find_if(codes.begin(), codes.end(),
                           [](const std::string& c) { return c.substr(2) >= "71"; });
  std::string kabs =
      kota != codes.begin() ? "kabupaten " + codes.front() + "-" + *(kota - 1) : "no kabupaten";
  std::string kotas = kota != codes.end() ? "kota " + *kota + "-" + codes.back() : "no kota";
  return "no kab/kota " + code + " in province " + province + " " + p->name + " (" + kabs + ", " +
         kotas + ")";
}

// Splits `total` in proportion to `weights` (largest remainders, ties to the earlier).
std::vector<int> apportion(std::int64_t total, const std::vector<std::int64_t>& weights) {
  std::int64_t sum = std::accumulate(weights.begin(), weights.end(), std::int64_t{0});
  std::vector<int> out(weights.size());
  std::vector<std::pair<std::int64_t, std::size_t>> remainders;
  std::int64_t given = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    out[i] = int(total * weights[i] / sum);
    given += out[i];
    remainders.emplace_back(total * weights[i] % sum, i);
  }
  std::stable_sort(remainders.begin(), remainders.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  for (std::size_t k = 0; given < total; ++k, ++given) ++out[remainders[k].second];
  return out;
}

// DPRD kab/kota seats for kab/kota of the given sizes, `total` in all: the law's steps, applied
// to the sizes times the one factor that makes the seats add up. The kab/kota that passes a
// step at the smallest factor gets it first (ties to the earlier).
std::vector<int> dprdk_seats_by_size(const std::vector<double>& sizes, int total,
                                     const std::string& what) {
  int steps = total - kDprdkMinSeats * int(sizes.size());
  if (steps < 0 || steps % kDprdkStepSeats != 0 ||
      steps / kDprdkStepSeats > int(sizes.size() * kDprdkSteps.size())) {
    throw std::invalid_argument("shape: " + what + " cannot have " + std::to_string(total) +
                                " DPRD kab/kota seats over " + std::to_string(sizes.size()) +
                                " kab/kota of 20, 25, ... 55");
  }
  struct Step {
    double factor;
    std::size_t region;
  };
  std::vector<Step> order;
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    for (double people : kDprdkSteps) order.push_back({people / sizes[i], i});
  }
  std::stable_sort(order.begin(), order.end(),
                   [](const Step& a, const Step& b) { return a.factor < b.factor; });
  std::vector<int> seats(sizes.size(), kDprdkMinSeats);
  for (int k = 0; k < steps / kDprdkStepSeats; ++k) seats[order[k].region] += kDprdkStepSeats;
  return seats;
}

// Lays out a province's real regions and their TPS; returns the province.
int add_real_province(Geo& g, const Wilayah& w, const std::string& code, Range voters, Rng& rng) {
  // The last region added at each level: the parent of the next one below it, as codes ascend.
  std::array<int, int(Level::tps) + 1> last;
  last.fill(-1);
  std::vector<int> desas;
  std::vector<int> counts;
  for (const WilayahRegion& r : regions_within(w, code)) {
    int level = int(level_of_code(r.code).value_or(Level::province));
    int id = g.add(level > int(Level::province) ? last[level - 1] : -1, r.code, r.name);
    last[level] = id;
    if (r.tps > 0) {
      desas.push_back(id);
      counts.push_back(r.tps);
    }
  }
  add_tps(g, desas, counts, voters, rng);
  return last[int(Level::province)];
}

// Generates the regions level by level from the one stream of a synthetic shape.
void add_synthetic_provinces(Geo& g, const Shape& shape, Rng& rng) {
  std::vector<int> kabs;
  for (const ProvinceShape& p : shape.provinces) {
    int province = g.add(-1, p.code, p.name);
    g.provinces.push_back(province);
    for (const std::string& code : kabkota_codes(p)) {
      bool is_kota = code.substr(2) >= "71";
      kabs.push_back(g.add(province, code, (is_kota ? "KOTA " : "KAB. ") + place_name(rng)));
    }
  }
  auto place = [&](int, int) { return place_name(rng); };
  auto kecs = fill_level(g, kabs, shape.kecamatan, "kecamatan", 2, 1, place, rng);
  auto desas = fill_level(g, kecs, shape.desa, "desa", 4, 2001, place, rng);
  add_tps(g, desas, spread(shape.tps, desas.size(), "TPS", rng), shape.voters, rng);
}

Geo build_geo(const Shape& shape, Streams& streams) {
  Geo g;
  if (!shape.wilayah) {
    add_synthetic_provinces(g, shape, streams.province(0));
  } else {
    for (std::size_t pi = 0; pi < shape.provinces.size(); ++pi) {
      const std::string& code = shape.provinces[pi].code;
      // Each province draws apart, so those outside `within` need not be made.
      g.provinces.push_back(
          related(code, shape.within)
              ? add_real_province(g, *shape.wilayah, code, shape.voters, streams.province(pi))
              : -1);
    }
  }

  const OverseasShape& o = shape.overseas;
  if (o.countries > 0 && shape.within.empty()) {
    Rng& rng = streams.overseas();
    int root = g.add(-1, kOverseasCode, "LUAR NEGERI");
    g.overseas = root;
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
    add_tps(g, posts, spread(o.tps, posts.size(), "TPS", rng), shape.voters, rng);
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

// Writes contests.csv and candidates.csv rows, cut to the shape's `within`.
class ContestWriter {
 public:
  explicit ContestWriter(const Shape& shape) : shape_(shape) {}

  // The presidential contest, with 2024's pairs.
  void ppwp() {
    if (!contest("ppwp", Ballot::ppwp, "PRESIDEN DAN WAKIL PRESIDEN", 1, {""})) return;
    for (std::size_t n = 0; n < kPpwpPairs.size(); ++n) {
      candidates_ += "ppwp,," + std::to_string(n + 1) + "," + csv_cell(kPpwpPairs[n]) + "\n";
    }
  }

  // A province's DPD contest, with `count` candidates.
  void dpd(Rng& rng, const ProvinceShape& p, int count) {
    std::string id = "pdpd-" + p.code;
    bool kept = contest(id, Ballot::pdpd, "DPD " + p.name, kDpdSeats, {p.code});
    for (int n = 1; n <= count; ++n) {
      // Drawn even when left out, so that what is kept matches the whole shape's.
      std::string who = person_name(rng);
      if (kept) candidates_ += id + ",," + std::to_string(n) + "," + csv_cell(who) + "\n";
    }
  }

  // A party-list contest in `province`, where its local parties run unless this is DPR.
  void lists(Rng& rng, const std::string& id, Ballot ballot, const std::string& name, int seats,
             const std::vector<std::string>& regions, const std::string& province) {
    bool kept = contest(id, ballot, name, seats, regions);
    int count = shape_.list_candidates > 0 ? shape_.list_candidates : seats;
    for (const PartyRow& p : kParties) {
      bool runs = p.province[0] == '\0' || (ballot != Ballot::pdpr && province == p.province);
      if (!runs) continue;
      for (int n = 1; n <= count; ++n) {
        std::string who = person_name(rng);
        if (!kept) continue;
        candidates_ += id + "," + std::to_string(p.number) + "," + std::to_string(n) + "," +
                       csv_cell(who) + "\n";
      }
    }
  }

  std::string contests_csv() const { return "id,ballot,name,seats,regions\n" + contests_; }
  std::string candidates_csv() const { return "contest,party,number,name\n" + candidates_; }

 private:
  // False when none of the regions is left after the cut: the contest is left out.
  bool contest(const std::string& id, Ballot ballot, const std::string& name, int seats,
               const std::vector<std::string>& regions) {
    std::string codes;
    for (const auto& r : regions) {
      if (!related(r, shape_.within)) continue;
      codes += (codes.empty() ? "" : " ") + (r.empty() ? "*" : r);
    }
    if (codes.empty()) return false;
    contests_ += id + "," + std::string(ballot_id(ballot)) + "," + csv_cell(name) + "," +
                 std::to_string(seats) + "," + codes + "\n";
    return true;
  }

  const Shape& shape_;
  std::string contests_;
  std::string candidates_;
};

std::vector<std::string> codes_of(const Geo& g, const std::vector<int>& units) {
  std::vector<std::string> out;
  for (int u : units) out.push_back(g.regions[u].code);
  return out;
}

// The seats and dapils of each kab/kota's DPRD, by its code.
using DprdkPlan = std::unordered_map<std::string, std::pair<int, int>>;

// The DPRD kab/kota of a shape with real regions: the seats by the law's steps over the
// kab/kota's sizes (their TPS), the dapils in proportion to the seats. Made from all the regions
// whatever `within` is, so that a slice has what the whole gives it.
DprdkPlan plan_dprdk(const Shape& shape) {
  std::vector<std::string> codes;
  std::vector<double> sizes;
  for (const ProvinceShape& p : shape.provinces) {
    if (!p.dprdk) continue;
    for (const WilayahRegion& r : regions_within(*shape.wilayah, p.code)) {
      if (r.code.size() == 4) {
        codes.push_back(r.code);
        sizes.push_back(0);
      } else if (!sizes.empty()) {
        sizes.back() += r.tps;
      }
    }
  }
  auto seats = dprdk_seats_by_size(sizes, shape.dprdk_total_seats, "the shape");
  auto dapils =
      apportion(shape.dprdk_total_dapils, std::vector<std::int64_t>(seats.begin(), seats.end()));
  DprdkPlan plan;
  for (std::size_t k = 0; k < codes.size(); ++k) plan[codes[k]] = {seats[k], dapils[k]};
  return plan;
}

// A kab/kota's DPRD seats and dapils drawn from the shape's range: about 8 seats a dapil, no
// more dapils than kecamatan unless 12 seats a dapil demand it.
std::pair<int, int> draw_dprdk(const Shape& shape, const Node& kab, Rng& rng) {
  int seats = rng.between(shape.dprdk_seats.lo, shape.dprdk_seats.hi);
  int fewest = (seats + kMaxDprdDapilSeats - 1) / kMaxDprdDapilSeats;
  int dapils = std::min((seats + kDprdkSeatsPerDapil - 1) / kDprdkSeatsPerDapil,
                        std::max(int(kab.children.size()), fewest));
  return {seats, dapils};
}

// `plan` is empty for a synthetic shape, whose DPRD kab/kota are drawn.
void write_contests(const Shape& shape, const DprdkPlan& plan, const Geo& g, ContestWriter& w,
                    Streams& streams) {
  if (shape.dprdk_seats.lo < kMinDapilSeats || shape.dprdk_seats.lo > shape.dprdk_seats.hi) {
    throw std::invalid_argument("shape: DPRD kab/kota seats must be a range from 3 up");
  }
  w.ppwp();
  const OverseasShape& o = shape.overseas;
  bool overseas_joined = false;
  for (std::size_t pi = 0; pi < shape.provinces.size(); ++pi) {
    if (g.provinces[pi] < 0) continue;
    const ProvinceShape& p = shape.provinces[pi];
    const Node& province = g.regions[g.provinces[pi]];
    Rng& rng = streams.province(pi);
    w.dpd(rng, p, shape.dpd_candidates);

    auto dpr = partition(g, province.children, p.dpr_dapils, "DPR in province " + p.code);
    auto dpr_seats =
        split_seats(p.dpr_seats, p.dpr_dapils, kMaxDprDapilSeats, "DPR in province " + p.code);
    for (std::size_t d = 0; d < dpr.size(); ++d) {
      auto regions = codes_of(g, dpr[d]);
      if (g.overseas >= 0 && o.dpr_province == p.code && int(d) == o.dpr_dapil) {
        regions.push_back(kOverseasCode);
        overseas_joined = true;
      }
      w.lists(rng, "pdpr-" + p.code + "-" + std::to_string(d + 1), Ballot::pdpr,
              "DPR " + p.name + " " + roman(int(d) + 1), dpr_seats[d], regions, p.code);
    }

    auto dprdp = partition(g, province.children, p.dprdp_dapils, "DPRD in province " + p.code);
    auto dprdp_seats = split_seats(p.dprdp_seats, p.dprdp_dapils, kMaxDprdDapilSeats,
                                   "DPRD in province " + p.code);
    for (std::size_t d = 0; d < dprdp.size(); ++d) {
      w.lists(rng, "pdprdp-" + p.code + "-" + std::to_string(d + 1), Ballot::pdprdp,
              "DPRD " + p.name + " " + std::to_string(d + 1), dprdp_seats[d], codes_of(g, dprdp[d]),
              p.code);
    }

    if (!p.dprdk) continue;
    for (int kab : province.children) {
      const Node& k = g.regions[kab];
      auto [seats, dapils] = plan.empty() ? draw_dprdk(shape, k, rng) : plan.at(k.code);
      auto groups = partition(g, k.children, dapils, "DPRD of kab/kota " + k.code);
      auto split = split_seats(seats, dapils, kMaxDprdDapilSeats, "DPRD of kab/kota " + k.code);
      for (std::size_t d = 0; d < groups.size(); ++d) {
        w.lists(rng, "pdprdk-" + k.code + "-" + std::to_string(d + 1), Ballot::pdprdk,
                "DPRD " + k.name + " " + std::to_string(d + 1), split[d], codes_of(g, groups[d]),
                p.code);
      }
    }
  }
  if (g.overseas < 0) return;
  if (o.dpr_province.empty()) {
    split_seats(o.dpr_seats, 1, kMaxDprDapilSeats, "DPR abroad");
    w.lists(streams.overseas(), "pdpr-" + kOverseasCode + "-1", Ballot::pdpr, "DPR LUAR NEGERI",
            o.dpr_seats, {kOverseasCode}, kOverseasCode);
  } else if (!overseas_joined) {
    throw std::invalid_argument("shape: overseas voters join DPR dapil " +
                                std::to_string(o.dpr_dapil + 1) + " of province " + o.dpr_province +
                                ", which the shape lacks");
  }
}

void write_region(const Geo& g, int r, const std::string& within, std::string& out) {
  const Node& n = g.regions[r];
  if (!related(n.code, within)) return;
  out += n.code + "," + csv_cell(n.name) + "\n";
  for (int c : n.children) write_region(g, c, within, out);
}

// What Pemilu 2024 allotted each province: DPR dapils and seats (Perppu 1/2022), DPRD provinsi
// dapils and seats (by population, UU 7/2017 art. 188; 125% in Aceh, 106 in DKI Jakarta), and
// whether its kab/kota have a DPRD (DKI Jakarta's are administrative). The DPRD provinsi dapils
// per province are estimates that keep the national 301 and 3-12 seats a dapil.
struct Allotment {
  const char* code;
  int dpr_dapils;
  int dpr_seats;
  int dprdp_dapils;
  int dprdp_seats;
  bool dprdk;
};
constexpr std::array<Allotment, 38> kAllotments2024 = {{
    {"11", 2, 13, 10, 81, true},   {"12", 3, 30, 12, 100, true},  {"13", 2, 14, 8, 65, true},
    {"14", 2, 13, 8, 65, true},    {"15", 1, 8, 8, 55, true},     {"16", 2, 17, 9, 75, true},
    {"17", 1, 4, 7, 45, true},     {"18", 2, 20, 8, 85, true},    {"19", 1, 3, 7, 45, true},
    {"21", 1, 4, 7, 45, true},     {"31", 3, 21, 10, 106, false}, {"32", 11, 91, 15, 120, true},
    {"33", 10, 77, 13, 120, true}, {"34", 1, 8, 9, 55, true},     {"35", 11, 87, 14, 120, true},
    {"36", 3, 22, 10, 100, true},  {"51", 1, 9, 9, 55, true},     {"52", 2, 11, 8, 65, true},
    {"53", 2, 13, 8, 65, true},    {"61", 2, 12, 8, 65, true},    {"62", 1, 6, 7, 45, true},
    {"63", 2, 11, 7, 55, true},    {"64", 1, 8, 8, 55, true},     {"65", 1, 3, 5, 35, true},
    {"71", 1, 6, 6, 45, true},     {"72", 1, 7, 8, 55, true},     {"73", 3, 24, 11, 85, true},
    {"74", 1, 6, 7, 45, true},     {"75", 1, 3, 6, 45, true},     {"76", 1, 4, 6, 45, true},
    {"81", 1, 4, 7, 45, true},     {"82", 1, 3, 6, 45, true},     {"91", 1, 3, 6, 45, true},
    {"92", 1, 3, 5, 35, true},     {"93", 1, 3, 4, 35, true},     {"94", 1, 3, 5, 45, true},
    {"95", 1, 3, 5, 45, true},     {"96", 1, 3, 4, 35, true},
}};

// Pemilu 2024: the provinces as KPU coded them, each laid out in its real regions and TPS.
Shape national(std::shared_ptr<const Wilayah> wilayah) {
  if (!wilayah) throw std::invalid_argument("the national scale needs KPU's regions (wilayah)");
  Shape s;
  for (const Allotment& a : kAllotments2024) {
    auto regions = regions_within(*wilayah, a.code);
    if (regions.empty()) {
      throw std::invalid_argument(wilayah->source + " lacks province " + std::string(a.code) +
                                  ", which has seats in 2024");
    }
    ProvinceShape p;
    p.code = a.code;
    p.name = regions.front().name;
    p.dpr_dapils = a.dpr_dapils;
    p.dpr_seats = a.dpr_seats;
    p.dprdp_dapils = a.dprdp_dapils;
    p.dprdp_seats = a.dprdp_seats;
    p.dprdk = a.dprdk;
    s.provinces.push_back(std::move(p));
  }
  s.wilayah = std::move(wilayah);
  // 3,059 TPS (with mobile boxes and post) for 128 missions; abroad joins DKI Jakarta II.
  s.overseas = {int(kCountries.size()), {0, 128}, {1, 0}, {0, 3059}, "31", 1, 3};
  // 2024's 204,807,222 voters over these 821,398 TPS would be 249.3 a TPS; 198 to 300
  // averages 249.
  s.voters = {198, 300};
  // Over the 508 kab/kota outside DKI Jakarta.
  s.dprdk_total_seats = 17510;
  s.dprdk_total_dapils = 2325;
  s.dpd_candidates = 18;  // 668 in all in 2024
  check_shape(s);         // refuses, before anything is generated, a province 2024 did not have
  return s;
}

}  // namespace

bool uses_wilayah(std::string_view scale) {
  return scale == "national" || scale.starts_with("province:") || scale.starts_with("kabupaten:");
}

Shape shape_of(std::string_view scale, std::shared_ptr<const Wilayah> wilayah) {
  Shape s;
  if (scale == "national") return national(std::move(wilayah));
  for (std::string_view prefix : {"province:", "kabupaten:"}) {
    if (!scale.starts_with(prefix)) continue;
    s = national(std::move(wilayah));
    s.within = scale.substr(prefix.size());
    std::size_t digits = prefix == "province:" ? 2 : 4;
    std::string problem = s.within.size() != digits ? "`" + s.within + "` is not a " +
                                                          std::to_string(digits) + "-digit code"
                                                    : within_problem(s);
    if (!problem.empty()) {
      throw std::invalid_argument("scale `" + std::string(scale) + "`: " + problem);
    }
    return s;
  }
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
    for (auto k : kScales) known += std::string(k) + ", ";
    throw std::invalid_argument("unknown scale `" + std::string(scale) + "` (known: " + known +
                                "province:<code>, kabupaten:<code>)");
  }
  return s;
}

DefinitionFiles generate_geo(const Shape& shape, std::uint64_t seed,
                             const std::string& election_id) {
  check_shape(shape);
  if (std::string problem = within_problem(shape); !problem.empty()) {
    throw std::invalid_argument("shape: `within`: " + problem);
  }
  Streams streams(seed, shape);
  Geo g = build_geo(shape, streams);
  DefinitionFiles files;
  files["election.csv"] = "id,name,date\n" + election_id + "," +
                          csv_cell("Pemilu 2024 (simulasi " + election_id + ")") + ",2024-02-14\n";
  std::string regions = "code,name\n";
  for (int r : g.provinces) {
    if (r >= 0) write_region(g, r, shape.within, regions);
  }
  if (g.overseas >= 0) write_region(g, g.overseas, shape.within, regions);
  files["regions.csv"] = std::move(regions);
  std::string tps = "code,dpt_l,dpt_p\n";
  for (const TpsRow& t : g.tps) {
    if (!code_within(t.code, shape.within)) continue;
    tps += t.code + "," + std::to_string(t.dpt_l) + "," + std::to_string(t.dpt_p) + "\n";
  }
  files["tps.csv"] = std::move(tps);
  std::string parties = "number,abbrev,name,province\n";
  for (const PartyRow& p : kParties) {
    bool present = false;
    for (std::size_t pi = 0; pi < shape.provinces.size(); ++pi) {
      present |= g.provinces[pi] >= 0 && shape.provinces[pi].code == p.province &&
                 related(p.province, shape.within);
    }
    if (p.province[0] != '\0' && !present) continue;
    parties += std::to_string(p.number) + "," + csv_cell(p.abbrev) + "," + csv_cell(p.name) + "," +
               p.province + "\n";
  }
  files["parties.csv"] = std::move(parties);
  ContestWriter w(shape);
  write_contests(shape, shape.wilayah ? plan_dprdk(shape) : DprdkPlan{}, g, w, streams);
  files["contests.csv"] = w.contests_csv();
  files["candidates.csv"] = w.candidates_csv();
  return files;
}

DefinitionFiles generate_geo(const GeoOptions& options) {
  std::shared_ptr<const Wilayah> wilayah;
  if (uses_wilayah(options.scale)) {
    wilayah = read_wilayah(options.wilayah.empty() ? default_wilayah_path() : options.wilayah);
  }
  return generate_geo(shape_of(options.scale, std::move(wilayah)), options.seed,
                      "sim-" + options.scale + "-" + std::to_string(options.seed));
}

void write_definition_dir(const DefinitionFiles& files, const std::string& dir) {
  for (const auto& [name, text] : files)
    write_file_atomically(std::filesystem::path(dir) / name, text);
}

}  // namespace rekap::sim
