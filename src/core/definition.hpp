#pragma once
// The election definition: regions, TPS, parties, contests and candidates, and the C1 form
// layout of every contest. Built once from the commission's files; read-only afterwards.
#include <array>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ballot.hpp"
#include "core/form_layout.hpp"
#include "core/region_code.hpp"
#include "crypto/keys.hpp"

namespace rekap {

inline constexpr int kMaxVotersPerTps = 300;

struct Region {
  std::string code;  // "" for the nation
  std::string name;
  Level level = Level::nation;
  int parent = -1;            // index into Definition::regions
  std::vector<int> children;  // sub-regions (not TPS)
  std::vector<int> tps;       // TPS directly inside (desa only)
};

struct Tps {
  std::string code;  // 13 digits
  int region = -1;   // the desa
  std::uint32_t dpt_l = 0;
  std::uint32_t dpt_p = 0;
  // The contest this TPS votes in, per ballot; -1 where it has none (e.g. overseas DPRD).
  std::array<int, kBallotCount> contest{-1, -1, -1, -1, -1};
  std::uint32_t dpt() const { return dpt_l + dpt_p; }
};

struct Party {
  int number = 0;
  std::string abbrev;
  std::string name;
  std::string province;  // "" for a national party, else the only province it runs in
};

struct Candidate {
  int party = 0;  // party number; 0 for PPWP pairs and DPD candidates
  int number = 0;
  std::string name;
};

struct Contest {
  std::string id;
  Ballot ballot = Ballot::ppwp;
  std::string name;
  int seats = 0;
  std::vector<std::string> regions;  // codes it covers
  std::vector<int> parties;          // party numbers on this ballot (party ballots)
  std::vector<Candidate> candidates;
  FormLayout layout;
};

struct Definition {
  Hash32 hash{};  // SHA-256 over the files (definition_hash), bound into the log's genesis
  std::string election_id;
  std::string election_name;
  std::string election_date;
  std::vector<Region> regions;  // regions[0] is the nation
  std::vector<Tps> tps;
  std::vector<Party> parties;
  std::vector<Contest> contests;
  std::unordered_map<std::string, int> region_index;
  std::unordered_map<std::string, int> tps_index;
  std::unordered_map<std::string, int> contest_index;

  int find_region(std::string_view code) const;
  int find_tps(std::string_view code) const;
  int find_contest(std::string_view id) const;
  const Party* find_party(int number) const;
  // Number of TPS under a region that vote on a ballot.
  std::uint32_t tps_count(int region, Ballot b) const { return tps_counts[region][int(b)]; }
  // Number of TPS that vote in a contest.
  std::uint32_t contest_tps_count(int contest) const { return contest_tps_counts[contest]; }

  std::vector<std::array<std::uint32_t, kBallotCount>> tps_counts;  // per region, per ballot
  std::vector<std::uint32_t> contest_tps_counts;                    // per contest
};

// One problem in a definition, located by file and line.
struct DefinitionProblem {
  std::string file;
  int line = 0;
  std::string message;
  std::string to_string() const;
};

class DefinitionError : public std::runtime_error {
 public:
  explicit DefinitionError(std::vector<DefinitionProblem> problems);
  const std::vector<DefinitionProblem>& problems() const { return problems_; }

 private:
  std::vector<DefinitionProblem> problems_;
};

// The files of a definition, by name (election.csv, regions.csv, tps.csv, parties.csv,
// contests.csv, candidates.csv) to their contents.
using DefinitionFiles = std::map<std::string, std::string>;
inline const std::array<const char*, 6> kDefinitionFileNames = {
    "election.csv", "regions.csv", "tps.csv", "parties.csv", "contests.csv", "candidates.csv"};

// Parses and checks a definition. Throws DefinitionError listing every problem found.
Definition build_definition(const DefinitionFiles& files);

// SHA-256 over the files' names and contents: identifies a definition.
Hash32 definition_hash(const DefinitionFiles& files);

}  // namespace rekap
