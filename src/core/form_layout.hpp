#pragma once
// The numbers on one contest's C1 form and the arithmetic that binds them. The constraints are
// data, so that the server, the officer page and the OCR decoder share one definition of them.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ballot.hpp"

namespace rekap {

enum class Section { administrasi, votes, totals };
// The section's name as the API and the open data write it ("administrasi", "votes", "totals").
const char* section_name(Section s);

struct Field {
  std::string name;   // stable id, e.g. "pengguna_dpt_j", "c1", "p3c7"
  std::string label;  // Indonesian label for people
  Section section = Section::administrasi;
};

// A value the constraints may compare with that is not on the form but belongs to the TPS.
enum class Param { none, dpt_l, dpt_p, dpt_j, max_value };

struct Term {
  int field = 0;
  int coef = 1;
};

// sum(coef * field over lhs) OP (rhs_field or rhs_param). `subject` names the field reported
// when the constraint fails.
struct Constraint {
  enum class Op { eq, le };
  std::string rule;  // rule id, e.g. "votes_sum"
  std::vector<Term> lhs;
  Op op = Op::eq;
  int rhs_field = -1;
  Param rhs_param = Param::none;
  int subject = 0;
};

struct FormLayout {
  std::vector<Field> fields;
  std::vector<Constraint> constraints;
  std::unordered_map<std::string, int> index;

  int find(const std::string& name) const {
    auto it = index.find(name);
    return it == index.end() ? -1 : it->second;
  }
};

struct PartyList {
  int party = 0;
  std::vector<int> candidates;  // ballot numbers in list order
};

// The layout for a PPWP or DPD contest (one number per candidate).
FormLayout candidate_layout(const std::vector<int>& candidates);
// The layout for a party ballot (DPR, DPRD): per party its party-only votes, each candidate's
// votes and the party total.
FormLayout party_layout(const std::vector<PartyList>& parties);

std::string_view param_name(Param p);

}  // namespace rekap
