#include "core/definition.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <sstream>

#include "core/csv.hpp"
#include "core/statement.hpp"
#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"

namespace rekap {

namespace {

constexpr std::size_t kMaxProblems = 100;

struct Problems {
  std::vector<DefinitionProblem> list;
  void add(const std::string& file, int line, std::string message) {
    if (list.size() < kMaxProblems) list.push_back({file, line, std::move(message)});
  }
};

std::optional<long> parse_int(std::string_view s) {
  long v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Reads a file's rows after checking its header; returns no rows when the header is wrong.
std::vector<CsvRow> rows_of(const DefinitionFiles& files, const std::string& name,
                            const std::vector<std::string>& header, Problems& problems) {
  auto it = files.find(name);
  if (it == files.end()) {
    problems.add(name, 0, "file is missing");
    return {};
  }
  std::vector<CsvRow> rows;
  try {
    rows = parse_csv(it->second);
  } catch (const CsvError& e) {
    problems.add(name, e.line(), e.what());
    return {};
  }
  if (rows.empty() || rows.front().cells != header) {
    std::string want;
    for (const auto& h : header) want += (want.empty() ? "" : ",") + h;
    problems.add(name, 1, "header must be `" + want + "`");
    return {};
  }
  rows.erase(rows.begin());
  for (auto r = rows.begin(); r != rows.end();) {
    if (r->cells.size() != header.size()) {
      problems.add(name, r->line,
                   "expected " + std::to_string(header.size()) + " columns, found " +
                       std::to_string(r->cells.size()));
      r = rows.erase(r);
    } else {
      ++r;
    }
  }
  return rows;
}

std::vector<std::string> split_spaces(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

void load_regions(Definition& def, const DefinitionFiles& files, Problems& problems) {
  def.regions.push_back({"", "Indonesia", Level::nation, -1, {}, {}});
  def.region_index.emplace("", 0);
  auto rows = rows_of(files, "regions.csv", {"code", "name"}, problems);
  std::vector<int> lines{0};
  for (const auto& r : rows) {
    const std::string& code = r.cells[0];
    auto level = level_of_code(code);
    if (!level || *level == Level::nation || *level == Level::tps) {
      problems.add("regions.csv", r.line,
                   "region code `" + code + "` must be 2, 4, 6 or 10 digits (TPS go in tps.csv)");
      continue;
    }
    if (r.cells[1].empty()) problems.add("regions.csv", r.line, "region " + code + " has no name");
    auto [it, fresh] = def.region_index.emplace(code, int(def.regions.size()));
    if (!fresh) {
      problems.add("regions.csv", r.line,
                   "duplicate region code " + code + " (first on line " +
                       std::to_string(lines[it->second]) + ")");
      continue;
    }
    def.regions.push_back({code, r.cells[1], *level, -1, {}, {}});
    lines.push_back(r.line);
  }
  for (std::size_t i = 1; i < def.regions.size(); ++i) {
    Region& region = def.regions[i];
    int parent = def.find_region(parent_code(region.code));
    if (parent < 0) {
      problems.add("regions.csv", lines[i],
                   "region " + region.code + " has no parent region " +
                       std::string(parent_code(region.code)));
      continue;
    }
    region.parent = parent;
    def.regions[parent].children.push_back(int(i));
  }
}

void load_tps(Definition& def, const DefinitionFiles& files, Problems& problems) {
  auto rows = rows_of(files, "tps.csv", {"code", "dpt_l", "dpt_p"}, problems);
  def.tps.reserve(rows.size());
  for (const auto& r : rows) {
    const std::string& code = r.cells[0];
    if (level_of_code(code) != Level::tps) {
      problems.add("tps.csv", r.line, "TPS code `" + code + "` must be 13 digits");
      continue;
    }
    auto l = parse_int(r.cells[1]);
    auto p = parse_int(r.cells[2]);
    if (!l || !p || *l < 0 || *p < 0) {
      problems.add("tps.csv", r.line, "TPS " + code + ": dpt_l and dpt_p must be whole numbers");
      continue;
    }
    if (*l + *p > kMaxVotersPerTps) {
      problems.add("tps.csv", r.line,
                   "TPS " + code + " has " + std::to_string(*l + *p) +
                       " registered voters; at most " + std::to_string(kMaxVotersPerTps) +
                       " are allowed");
      continue;
    }
    int desa = def.find_region(parent_code(code));
    if (desa < 0) {
      problems.add(
          "tps.csv", r.line,
          "TPS " + code + " has no desa " + std::string(parent_code(code)) + " in regions.csv");
      continue;
    }
    if (!def.tps_index.emplace(code, int(def.tps.size())).second) {
      problems.add("tps.csv", r.line, "duplicate TPS code " + code);
      continue;
    }
    Tps t;
    t.code = code;
    t.region = desa;
    t.dpt_l = std::uint32_t(*l);
    t.dpt_p = std::uint32_t(*p);
    def.regions[desa].tps.push_back(int(def.tps.size()));
    def.tps.push_back(std::move(t));
  }
}

void load_parties(Definition& def, const DefinitionFiles& files, Problems& problems) {
  auto rows = rows_of(files, "parties.csv", {"number", "abbrev", "name", "province"}, problems);
  for (const auto& r : rows) {
    auto n = parse_int(r.cells[0]);
    if (!n || *n < 1) {
      problems.add("parties.csv", r.line, "party number `" + r.cells[0] + "` must be 1 or more");
      continue;
    }
    if (def.find_party(int(*n))) {
      problems.add("parties.csv", r.line, "duplicate party number " + r.cells[0]);
      continue;
    }
    const std::string& prov = r.cells[3];
    if (!prov.empty() && (level_of_code(prov) != Level::province || def.find_region(prov) < 0)) {
      problems.add("parties.csv", r.line,
                   "party " + r.cells[0] + ": province `" + prov + "` is not a province");
      continue;
    }
    def.parties.push_back({int(*n), r.cells[1], r.cells[2], prov});
  }
}

void load_contests(Definition& def, const DefinitionFiles& files, Problems& problems) {
  auto rows =
      rows_of(files, "contests.csv", {"id", "ballot", "name", "seats", "regions"}, problems);
  for (const auto& r : rows) {
    Contest c;
    c.id = r.cells[0];
    auto ballot = parse_ballot(r.cells[1]);
    auto seats = parse_int(r.cells[3]);
    if (c.id.empty()) {
      problems.add("contests.csv", r.line, "contest id is empty");
      continue;
    }
    if (!ballot) {
      problems.add("contests.csv", r.line,
                   "contest " + c.id + ": unknown ballot `" + r.cells[1] +
                       "` (ppwp, pdpr, pdpd, pdprdp or pdprdk)");
      continue;
    }
    if (!seats || *seats < 1) {
      problems.add("contests.csv", r.line, "contest " + c.id + ": seats must be 1 or more");
      continue;
    }
    c.ballot = *ballot;
    c.name = r.cells[2];
    c.seats = int(*seats);
    c.regions = split_spaces(r.cells[4]);
    if (c.regions.empty()) {
      problems.add("contests.csv", r.line, "contest " + c.id + " covers no region");
      continue;
    }
    bool ok = true;
    for (auto& code : c.regions) {
      if (code == "*") code.clear();
      if (def.find_region(code) < 0) {
        problems.add("contests.csv", r.line,
                     "contest " + c.id + " names region " + code + ", which regions.csv lacks");
        ok = false;
      }
    }
    if (!ok) continue;
    if (!def.contest_index.emplace(c.id, int(def.contests.size())).second) {
      problems.add("contests.csv", r.line, "duplicate contest id " + c.id);
      continue;
    }
    def.contests.push_back(std::move(c));
  }
}

void load_candidates(Definition& def, const DefinitionFiles& files, Problems& problems) {
  auto rows = rows_of(files, "candidates.csv", {"contest", "party", "number", "name"}, problems);
  std::set<std::tuple<int, int, int>> seen;
  for (const auto& r : rows) {
    int ci = def.find_contest(r.cells[0]);
    if (ci < 0) {
      problems.add("candidates.csv", r.line,
                   "candidate names contest " + r.cells[0] + ", which contests.csv lacks");
      continue;
    }
    Contest& c = def.contests[ci];
    auto number = parse_int(r.cells[2]);
    if (!number || *number < 1) {
      problems.add("candidates.csv", r.line, "candidate number must be 1 or more");
      continue;
    }
    int party = 0;
    if (is_party_ballot(c.ballot)) {
      auto p = parse_int(r.cells[1]);
      const Party* found = p ? def.find_party(int(*p)) : nullptr;
      if (!found) {
        problems.add("candidates.csv", r.line,
                     "contest " + c.id + " is a party ballot; party `" + r.cells[1] +
                         "` is not in parties.csv");
        continue;
      }
      for (const auto& code : c.regions) {
        if (!found->province.empty() && !code_within(code, found->province)) {
          problems.add("candidates.csv", r.line,
                       "party " + r.cells[1] + " runs only in province " + found->province +
                           ", but contest " + c.id + " covers " + code);
          break;
        }
      }
      party = found->number;
    } else if (!r.cells[1].empty()) {
      problems.add("candidates.csv", r.line,
                   "contest " + c.id + " (" + std::string(ballot_id(c.ballot)) +
                       ") has no parties; leave the party column empty");
      continue;
    }
    if (!seen.emplace(ci, party, int(*number)).second) {
      problems.add("candidates.csv", r.line,
                   "duplicate candidate number " + r.cells[2] + " in contest " + c.id);
      continue;
    }
    c.candidates.push_back({party, int(*number), r.cells[3]});
  }
}

void build_layouts(Definition& def, Problems& problems) {
  for (Contest& c : def.contests) {
    std::sort(c.candidates.begin(), c.candidates.end(), [](const auto& a, const auto& b) {
      return std::tie(a.party, a.number) < std::tie(b.party, b.number);
    });
    if (c.candidates.empty()) {
      problems.add("candidates.csv", 0, "contest " + c.id + " has no candidates");
      continue;
    }
    if (is_party_ballot(c.ballot)) {
      std::vector<PartyList> lists;
      for (const auto& cand : c.candidates) {
        if (lists.empty() || lists.back().party != cand.party) lists.push_back({cand.party, {}});
        lists.back().candidates.push_back(cand.number);
      }
      for (const auto& l : lists) c.parties.push_back(l.party);
      c.layout = party_layout(lists);
    } else {
      std::vector<int> numbers;
      for (const auto& cand : c.candidates) numbers.push_back(cand.number);
      c.layout = candidate_layout(numbers);
    }
  }
}

// Gives every TPS its contest per ballot: the one contest of that ballot whose regions cover it.
void assign_contests(Definition& def, Problems& problems) {
  std::array<std::unordered_map<std::string, int>, kBallotCount> by_region;
  for (std::size_t ci = 0; ci < def.contests.size(); ++ci) {
    const Contest& c = def.contests[ci];
    for (const auto& code : c.regions) {
      auto [it, fresh] = by_region[int(c.ballot)].emplace(code, int(ci));
      if (!fresh) {
        problems.add("contests.csv", 0,
                     it->second == int(ci)
                         ? "contest " + c.id + " lists region " + code + " twice"
                         : "region " + code + " is in two " + std::string(ballot_id(c.ballot)) +
                               " contests: " + def.contests[it->second].id + " and " + c.id);
      }
    }
  }
  def.tps_counts.assign(def.regions.size(), {});
  def.contest_tps_counts.assign(def.contests.size(), 0);
  for (Tps& t : def.tps) {
    for (int b = 0; b < kBallotCount; ++b) {
      for (std::size_t len : {0, 2, 4, 6, 10, 13}) {
        auto it = by_region[b].find(t.code.substr(0, len));
        if (it == by_region[b].end()) continue;
        if (t.contest[b] == it->second) {
          problems.add("contests.csv", 0,
                       "contest " + def.contests[it->second].id +
                           " lists regions that contain one another (TPS " + t.code + ")");
        } else if (t.contest[b] >= 0) {
          problems.add("contests.csv", 0,
                       "TPS " + t.code + " is covered by two " + std::string(ballot_id(Ballot(b))) +
                           " contests: " + def.contests[t.contest[b]].id + " and " +
                           def.contests[it->second].id);
        }
        t.contest[b] = it->second;
      }
      if (t.contest[b] < 0) continue;
      def.contest_tps_counts[t.contest[b]] += 1;
      for (int r = t.region; r >= 0; r = def.regions[r].parent) def.tps_counts[r][b] += 1;
    }
  }
}

}  // namespace

int Definition::find_region(std::string_view code) const {
  auto it = region_index.find(std::string(code));
  return it == region_index.end() ? -1 : it->second;
}

int Definition::find_tps(std::string_view code) const {
  auto it = tps_index.find(std::string(code));
  return it == tps_index.end() ? -1 : it->second;
}

int Definition::find_contest(std::string_view id) const {
  auto it = contest_index.find(std::string(id));
  return it == contest_index.end() ? -1 : it->second;
}

const Party* Definition::find_party(int number) const {
  for (const auto& p : parties) {
    if (p.number == number) return &p;
  }
  return nullptr;
}

std::string DefinitionProblem::to_string() const {
  return line > 0 ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
}

DefinitionError::DefinitionError(std::vector<DefinitionProblem> problems)
    : std::runtime_error([&] {
        std::string s = "the election definition has " + std::to_string(problems.size()) +
                        (problems.size() >= kMaxProblems ? " or more" : "") + " problem(s):";
        for (const auto& p : problems) s += "\n  " + p.to_string();
        return s;
      }()),
      problems_(std::move(problems)) {}

Definition build_definition(const DefinitionFiles& files) {
  Definition def;
  def.hash = definition_hash(files);
  Problems problems;
  auto election = rows_of(files, "election.csv", {"id", "name", "date"}, problems);
  if (election.size() != 1) {
    problems.add("election.csv", 0, "must have exactly one row after the header");
  } else {
    def.election_id = election[0].cells[0];
    def.election_name = election[0].cells[1];
    def.election_date = election[0].cells[2];
    if (!valid_election_id(def.election_id)) {
      problems.add("election.csv", election[0].line,
                   "election id must be 1 to 64 printable ASCII characters without spaces");
    }
  }
  load_regions(def, files, problems);
  load_tps(def, files, problems);
  load_parties(def, files, problems);
  load_contests(def, files, problems);
  load_candidates(def, files, problems);
  build_layouts(def, problems);
  if (problems.list.empty()) assign_contests(def, problems);
  if (!problems.list.empty()) throw DefinitionError(std::move(problems.list));
  return def;
}

Hash32 definition_hash(const DefinitionFiles& files) {
  std::string all;
  for (const auto& [name, content] : files) {
    all += name + "\n" + std::to_string(content.size()) + "\n" + content;
  }
  return sha256(all);
}

}  // namespace rekap
