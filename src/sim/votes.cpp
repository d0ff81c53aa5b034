#include "sim/votes.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/rules.hpp"
#include "util/files.hpp"

namespace rekap::sim {

// The indices of the fields tps_values writes, looked up by name in a contest's layout.
struct FormPlan {
  // A male / female / total triple.
  struct Triple {
    int l = 0;
    int p = 0;
    int j = 0;
  };
  // A party's fields on a party ballot.
  struct List {
    int only = 0;                        // votes for the party alone
    std::vector<std::uint32_t> numbers;  // the party's candidates
    std::vector<int> candidates;         // their fields
    int total = 0;
  };
  Triple registered, dpt, dptb, dpk, voters, disabled;
  int received = 0, used = 0, damaged = 0, unused = 0;
  int valid = 0, invalid = 0, total = 0;
  std::vector<int> candidates;  // PPWP and DPD: aligned with Contest::candidates
  std::vector<List> lists;      // party ballots: aligned with Contest::parties
};

namespace {

// The splitmix64 finalizer: a cheap hash with good avalanche.
std::uint64_t mix(std::uint64_t z) {
  z += 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a, to key on a code or a contest id.
std::uint64_t text_key(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char ch : s) h = (h ^ std::uint8_t(ch)) * 0x100000001b3ULL;
  return h;
}

// What a random draw is for, so that draws from one key are independent.
enum class Draw : std::uint64_t {
  turnout = 1,
  dptb_l,
  dptb_p,
  dpk_l,
  dpk_p,
  disabled_l,
  disabled_p,
  damaged,
  invalid,
  split,
  popularity,
  regional,
  local,
  noise,
  party_only,
  candidate,
};

// Uniform in [0, 1), from a key, what it is for and up to two item numbers.
double unit(std::uint64_t key, Draw what, std::uint32_t a = 0, std::uint32_t b = 0) {
  std::uint64_t salt = (std::uint64_t(what) << 48) ^ (std::uint64_t(a) << 24) ^ b;
  return double(mix(key ^ mix(salt)) >> 11) * 0x1p-53;
}

// Splits n into parts proportional to `weights` (all > 0); each part is the floor or the
// ceiling of its share (systematic sampling with offset u in [0, 1)), and the parts sum to n.
void split(std::uint32_t n, const std::vector<double>& weights, double u,
           std::vector<std::uint32_t>& parts) {
  double sum = 0;
  for (double w : weights) sum += w;
  parts.resize(weights.size());
  double acc = 0;
  std::uint32_t prev = 0;
  for (std::size_t i = 0; i < weights.size(); ++i) {
    acc += weights[i];
    std::uint32_t edge =
        i + 1 == weights.size() ? n : std::min(n, std::uint32_t(std::floor(n * acc / sum + u)));
    parts[i] = edge - prev;
    prev = edge;
  }
}

std::uint32_t share(std::uint32_t n, double rate) {
  return std::min(n, std::uint32_t(std::lround(n * rate)));
}

// A small count (DPTb, DPK, disabled voters): 0 to about `rate` of n.
std::uint32_t few(std::uint32_t n, double rate, double u) {
  return std::uint32_t(u * (n * rate + 1));
}

// Keys for the places a TPS lies in; preferences keyed on a region are shared by its TPS.
struct Keys {
  std::uint64_t seed;
  std::uint64_t kab;      // kab/kota
  std::uint64_t kec;      // kecamatan
  std::uint64_t tps;      // this TPS, the same on every ballot
  std::uint64_t ballot;   // this TPS and ballot
  std::uint64_t contest;  // the contest, for its candidates' standing
};

// A candidate's or party's weight: national standing (skewed, a few big ones), regional and
// local preference, and the TPS's own noise.
double weight(const Keys& k, std::uint64_t standing_key, std::uint32_t a, std::uint32_t b) {
  double s = unit(standing_key, Draw::popularity, a, b);
  return (0.2 + 1.8 * s * s) * (0.5 + unit(k.kab, Draw::regional, a, b)) *
         (0.85 + 0.3 * unit(k.kec, Draw::local, a, b)) *
         (0.9 + 0.2 * unit(k.ballot, Draw::noise, a, b));
}

int field(const FormLayout& layout, const std::string& name) {
  int f = layout.find(name);
  if (f < 0) throw std::logic_error("the C1 form has no field " + name);
  return f;
}

FormPlan::Triple triple(const FormLayout& layout, const std::string& prefix) {
  return {field(layout, prefix + "_l"), field(layout, prefix + "_p"), field(layout, prefix + "_j")};
}

FormPlan plan_of(const Contest& c) {
  const FormLayout& l = c.layout;
  FormPlan plan;
  plan.registered = triple(l, "pemilih_dpt");
  plan.dpt = triple(l, "pengguna_dpt");
  plan.dptb = triple(l, "pengguna_dptb");
  plan.dpk = triple(l, "pengguna_dpk");
  plan.voters = triple(l, "pengguna_total");
  plan.disabled = triple(l, "disabilitas");
  plan.received = field(l, "ss_diterima");
  plan.used = field(l, "ss_digunakan");
  plan.damaged = field(l, "ss_rusak");
  plan.unused = field(l, "ss_sisa");
  plan.valid = field(l, "suara_sah");
  plan.invalid = field(l, "suara_tidak_sah");
  plan.total = field(l, "suara_total");
  if (!is_party_ballot(c.ballot)) {
    for (const Candidate& cand : c.candidates) {
      plan.candidates.push_back(field(l, "c" + std::to_string(cand.number)));
    }
    return plan;
  }
  for (int party : c.parties) {
    std::string p = "p" + std::to_string(party);
    FormPlan::List list;
    list.only = field(l, p);
    for (const Candidate& cand : c.candidates) {
      if (cand.party != party) continue;
      list.numbers.push_back(std::uint32_t(cand.number));
      list.candidates.push_back(field(l, p + "c" + std::to_string(cand.number)));
    }
    list.total = field(l, p + "t");
    plan.lists.push_back(std::move(list));
  }
  return plan;
}

void candidate_votes(const Contest& c, const FormPlan& plan, const Keys& k, std::uint32_t valid,
                     std::vector<std::uint32_t>& out) {
  std::vector<double> weights;
  for (const Candidate& cand : c.candidates) {
    weights.push_back(weight(k, k.contest, std::uint32_t(cand.number), 0));
  }
  std::vector<std::uint32_t> votes;
  split(valid, weights, unit(k.ballot, Draw::split), votes);
  for (std::size_t i = 0; i < votes.size(); ++i) out[plan.candidates[i]] = votes[i];
}

void party_votes(const Contest& c, const FormPlan& plan, const Keys& k, std::uint32_t valid,
                 std::vector<std::uint32_t>& out) {
  // A party's standing is national (keyed on the seed alone), so it carries across ballots.
  std::vector<double> weights;
  for (int party : c.parties) weights.push_back(weight(k, k.seed, std::uint32_t(party), 0));
  std::vector<std::uint32_t> totals;
  split(valid, weights, unit(k.ballot, Draw::split), totals);

  std::vector<std::uint32_t> votes;
  for (std::size_t i = 0; i < c.parties.size(); ++i) {
    auto party = std::uint32_t(c.parties[i]);
    const FormPlan::List& list = plan.lists[i];
    // Item 0 is the votes for the party alone; then its candidates, the top of the list
    // favoured, each with a home area where they do better.
    weights.assign(1, 0.0);
    double sum = 0;
    for (std::uint32_t number : list.numbers) {
      double w = (0.5 + unit(k.contest, Draw::candidate, party, number)) *
                 (0.7 + 0.6 * unit(k.kec ^ k.contest, Draw::local, party, number)) /
                 std::sqrt(double(number));
      weights.push_back(w);
      sum += w;
    }
    double only = 0.08 + 0.27 * unit(k.kab, Draw::party_only, party);
    weights[0] = sum * only / (1 - only);
    split(totals[i], weights, unit(k.ballot, Draw::split, party), votes);
    out[list.only] = votes[0];
    for (std::size_t j = 0; j < list.candidates.size(); ++j) out[list.candidates[j]] = votes[1 + j];
    out[list.total] = totals[i];
  }
}

void set(std::vector<std::uint32_t>& out, const FormPlan::Triple& t, std::uint32_t l,
         std::uint32_t p) {
  out[t.l] = l;
  out[t.p] = p;
  out[t.j] = l + p;
}

int contest_of(const Definition& def, int tps, Ballot b) {
  const Tps& t = def.tps.at(std::size_t(tps));
  int ci = t.contest[int(b)];
  if (ci < 0) {
    throw std::invalid_argument("TPS " + t.code + " does not vote on " + std::string(ballot_id(b)));
  }
  return ci;
}

std::vector<std::uint32_t> generate(const Definition& def, const FormPlan& plan, int tps, Ballot b,
                                    std::uint64_t seed) {
  const Tps& t = def.tps[std::size_t(tps)];
  const Contest& c = def.contests[std::size_t(t.contest[int(b)])];
  std::string_view code = t.code;
  Keys k;
  k.seed = mix(seed);
  k.kab = mix(k.seed ^ text_key(code.substr(0, 4)));
  k.kec = mix(k.seed ^ text_key(code.substr(0, 6)));
  k.tps = mix(k.seed ^ text_key(code));
  k.ballot = mix(k.tps ^ mix(std::uint64_t(b) + 1));
  k.contest = mix(k.seed ^ text_key(c.id));

  std::vector<std::uint32_t> out(c.layout.fields.size(), 0);
  set(out, plan.registered, t.dpt_l, t.dpt_p);
  // Turnout 74-91%: a kab/kota bias, a smaller kecamatan one and the TPS's own; women vote a
  // little more often than men.
  double turnout = 0.825 + 0.10 * (unit(k.kab, Draw::turnout) - 0.5) +
                   0.03 * (unit(k.kec, Draw::turnout) - 0.5) +
                   0.04 * (unit(k.tps, Draw::turnout) - 0.5);
  std::uint32_t dpt_l = share(t.dpt_l, turnout - 0.01);
  std::uint32_t dpt_p = share(t.dpt_p, turnout + 0.01);
  set(out, plan.dpt, dpt_l, dpt_p);

  // Every voter takes a ballot from the TPS's stock (DPT plus 2% spare), and a few are spoiled.
  std::uint32_t received = TpsParams{t.dpt_l, t.dpt_p}.max_value();
  std::uint32_t room = received - dpt_l - dpt_p;
  auto take = [&room](std::uint32_t want) {
    std::uint32_t got = std::min(room, want);
    room -= got;
    return got;
  };
  std::uint32_t damaged = take(std::uint32_t(4 * unit(k.ballot, Draw::damaged)));
  // Voters registered elsewhere (DPTb) get only the ballots of the contests they still belong
  // to: all get PPWP, fewer the more local the contest.
  static constexpr std::array<double, kBallotCount> kDptbKeeps = {1.0, 0.75, 0.75, 0.5, 0.25};
  double keeps = kDptbKeeps[int(b)];
  std::uint32_t dptb_l = take(std::uint32_t(keeps * few(t.dpt(), 0.02, unit(k.tps, Draw::dptb_l))));
  std::uint32_t dptb_p = take(std::uint32_t(keeps * few(t.dpt(), 0.02, unit(k.tps, Draw::dptb_p))));
  set(out, plan.dptb, dptb_l, dptb_p);
  std::uint32_t dpk_l = take(few(t.dpt(), 0.005, unit(k.tps, Draw::dpk_l)));
  std::uint32_t dpk_p = take(few(t.dpt(), 0.005, unit(k.tps, Draw::dpk_p)));
  set(out, plan.dpk, dpk_l, dpk_p);
  std::uint32_t voters_l = dpt_l + dptb_l + dpk_l;
  std::uint32_t voters_p = dpt_p + dptb_p + dpk_p;
  std::uint32_t voters = voters_l + voters_p;
  set(out, plan.voters, voters_l, voters_p);
  set(out, plan.disabled, std::min(voters_l, few(voters_l, 0.02, unit(k.tps, Draw::disabled_l))),
      std::min(voters_p, few(voters_p, 0.02, unit(k.tps, Draw::disabled_p))));
  out[plan.received] = received;
  out[plan.used] = voters;
  out[plan.damaged] = damaged;
  out[plan.unused] = received - voters - damaged;

  // Invalid votes 1-4%: fewer on the presidential ballot, more where the kab/kota leans so.
  double invalid_rate = (b == Ballot::ppwp ? 0.01 : 0.015) +
                        0.015 * unit(k.kab, Draw::invalid, std::uint32_t(b)) +
                        0.01 * unit(k.ballot, Draw::invalid);
  std::uint32_t invalid = share(voters, invalid_rate);
  std::uint32_t valid = voters - invalid;
  if (is_party_ballot(b)) {
    party_votes(c, plan, k, valid, out);
  } else {
    candidate_votes(c, plan, k, valid, out);
  }
  out[plan.valid] = valid;
  out[plan.invalid] = invalid;
  out[plan.total] = voters;
  return out;
}

}  // namespace

std::vector<std::uint32_t> tps_values(const Definition& def, int tps, Ballot b,
                                      std::uint64_t seed) {
  int ci = contest_of(def, tps, b);
  return generate(def, plan_of(def.contests[std::size_t(ci)]), tps, b, seed);
}

VoteModel::VoteModel(const Definition& def, std::uint64_t seed) : def_(def), seed_(seed) {
  plans_.reserve(def.contests.size());
  for (const Contest& c : def.contests) plans_.push_back(plan_of(c));
}

VoteModel::~VoteModel() = default;

std::vector<std::uint32_t> VoteModel::values(int tps, Ballot b) const {
  int ci = contest_of(def_, tps, b);
  return generate(def_, plans_[std::size_t(ci)], tps, b, seed_);
}

void write_ground_truth(const Definition& def, std::uint64_t seed, const std::string& dir) {
  VoteModel votes(def, seed);
  std::vector<std::vector<int>> members(def.contests.size());
  for (std::size_t t = 0; t < def.tps.size(); ++t) {
    for (Ballot b : kAllBallots) {
      if (int c = def.tps[t].contest[int(b)]; c >= 0) members[std::size_t(c)].push_back(int(t));
    }
  }
  for (std::size_t c = 0; c < def.contests.size(); ++c) {
    const Contest& contest = def.contests[c];
    std::string csv = "tps";
    for (const Field& f : contest.layout.fields) csv += "," + f.name;
    csv += "\n";
    for (int t : members[c]) {
      csv += def.tps[std::size_t(t)].code;
      for (std::uint32_t v : votes.values(t, contest.ballot)) csv += "," + std::to_string(v);
      csv += "\n";
    }
    write_file_atomically(
        std::filesystem::path(dir) / ballot_id(contest.ballot) / (contest.id + ".csv"), csv);
  }
}

}  // namespace rekap::sim
