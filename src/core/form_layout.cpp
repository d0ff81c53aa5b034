#include "core/form_layout.hpp"

#include <array>

namespace rekap {

namespace {

struct Builder {
  FormLayout layout;

  int add(std::string name, std::string label, Section section) {
    int id = static_cast<int>(layout.fields.size());
    layout.index.emplace(name, id);
    layout.fields.push_back({std::move(name), std::move(label), section});
    return id;
  }
  int at(const std::string& name) const { return layout.index.at(name); }

  void eq(std::string rule, std::vector<Term> lhs, int rhs, int subject) {
    layout.constraints.push_back(
        {std::move(rule), std::move(lhs), Constraint::Op::eq, rhs, Param::none, subject});
  }
  void eq_param(std::string rule, int field, Param p) {
    layout.constraints.push_back({std::move(rule), {{field, 1}}, Constraint::Op::eq, -1, p, field});
  }
  void le(std::string rule, std::vector<Term> lhs, int rhs, int subject) {
    layout.constraints.push_back(
        {std::move(rule), std::move(lhs), Constraint::Op::le, rhs, Param::none, subject});
  }
};

// Triples of male / female / total counts on the administrasi section.
constexpr std::array<std::pair<const char*, const char*>, 6> kTriples = {{
    {"pemilih_dpt", "Pemilih terdaftar dalam DPT"},
    {"pengguna_dpt", "Pengguna hak pilih dalam DPT"},
    {"pengguna_dptb", "Pengguna hak pilih dalam DPTb"},
    {"pengguna_dpk", "Pengguna hak pilih dalam DPK"},
    {"pengguna_total", "Jumlah pengguna hak pilih"},
    {"disabilitas", "Pemilih disabilitas yang menggunakan hak pilih"},
}};

void add_administrasi(Builder& b) {
  for (const auto& [id, label] : kTriples) {
    b.add(std::string(id) + "_l", std::string(label) + " (laki-laki)", Section::administrasi);
    b.add(std::string(id) + "_p", std::string(label) + " (perempuan)", Section::administrasi);
    b.add(std::string(id) + "_j", std::string(label) + " (jumlah)", Section::administrasi);
  }
  b.add("ss_diterima", "Surat suara diterima", Section::administrasi);
  b.add("ss_digunakan", "Surat suara digunakan", Section::administrasi);
  b.add("ss_rusak", "Surat suara rusak/keliru coblos", Section::administrasi);
  b.add("ss_sisa", "Surat suara tidak digunakan", Section::administrasi);
}

void add_totals(Builder& b) {
  b.add("suara_sah", "Jumlah suara sah", Section::totals);
  b.add("suara_tidak_sah", "Jumlah suara tidak sah", Section::totals);
  b.add("suara_total", "Jumlah seluruh suara sah dan tidak sah", Section::totals);
}

void add_common_constraints(Builder& b, const std::vector<int>& vote_fields) {
  for (const auto& [id, label] : kTriples) {
    std::string s(id);
    int j = b.at(s + "_j");
    b.eq("sex_sum", {{b.at(s + "_l"), 1}, {b.at(s + "_p"), 1}}, j, j);
  }
  b.eq_param("registry_dpt", b.at("pemilih_dpt_l"), Param::dpt_l);
  b.eq_param("registry_dpt", b.at("pemilih_dpt_p"), Param::dpt_p);
  b.eq_param("registry_dpt", b.at("pemilih_dpt_j"), Param::dpt_j);
  for (const char* sex : {"_l", "_p", "_j"}) {
    std::string x(sex);
    int total = b.at("pengguna_total" + x);
    b.eq("voters_sum",
         {{b.at("pengguna_dpt" + x), 1},
          {b.at("pengguna_dptb" + x), 1},
          {b.at("pengguna_dpk" + x), 1}},
         total, total);
  }
  b.le("dpt_turnout", {{b.at("pengguna_dpt_j"), 1}}, b.at("pemilih_dpt_j"), b.at("pengguna_dpt_j"));
  b.le("disabled_le_voters", {{b.at("disabilitas_j"), 1}}, b.at("pengguna_total_j"),
       b.at("disabilitas_j"));
  int received = b.at("ss_diterima");
  b.eq("ballots_balance", {{b.at("ss_digunakan"), 1}, {b.at("ss_rusak"), 1}, {b.at("ss_sisa"), 1}},
       received, received);
  b.eq("ballots_used", {{b.at("pengguna_total_j"), 1}}, b.at("ss_digunakan"), b.at("ss_digunakan"));
  std::vector<Term> votes;
  for (int f : vote_fields) votes.push_back({f, 1});
  int sah = b.at("suara_sah");
  b.eq("votes_sum", std::move(votes), sah, sah);
  int total = b.at("suara_total");
  b.eq("valid_invalid", {{sah, 1}, {b.at("suara_tidak_sah"), 1}}, total, total);
  b.eq("total_voters", {{b.at("pengguna_total_j"), 1}}, total, total);
  for (std::size_t f = 0; f < b.layout.fields.size(); ++f) {
    int id = static_cast<int>(f);
    b.layout.constraints.push_back(
        {"bounds", {{id, 1}}, Constraint::Op::le, -1, Param::max_value, id});
  }
}

}  // namespace

FormLayout candidate_layout(const std::vector<int>& candidates) {
  Builder b;
  add_administrasi(b);
  std::vector<int> votes;
  for (int c : candidates) {
    votes.push_back(
        b.add("c" + std::to_string(c), "Suara calon nomor " + std::to_string(c), Section::votes));
  }
  add_totals(b);
  add_common_constraints(b, votes);
  return std::move(b.layout);
}

FormLayout party_layout(const std::vector<PartyList>& parties) {
  Builder b;
  add_administrasi(b);
  std::vector<int> totals;
  for (const auto& list : parties) {
    std::string p = "p" + std::to_string(list.party);
    std::string n = std::to_string(list.party);
    int only = b.add(p, "Suara partai " + n + " (hanya partai)", Section::votes);
    std::vector<Term> parts{{only, 1}};
    for (int c : list.candidates) {
      parts.push_back(
          {b.add(p + "c" + std::to_string(c),
                 "Suara partai " + n + " calon nomor " + std::to_string(c), Section::votes),
           1});
    }
    int total = b.add(p + "t", "Jumlah suara partai " + n, Section::votes);
    b.eq("party_total", std::move(parts), total, total);
    totals.push_back(total);
  }
  add_totals(b);
  add_common_constraints(b, totals);
  return std::move(b.layout);
}

std::string_view param_name(Param p) {
  switch (p) {
    case Param::dpt_l:
      return "dpt_l";
    case Param::dpt_p:
      return "dpt_p";
    case Param::dpt_j:
      return "dpt_j";
    case Param::max_value:
      return "max_value";
    case Param::none:
      break;
  }
  return "none";
}

const char* section_name(Section s) {
  switch (s) {
    case Section::administrasi:
      return "administrasi";
    case Section::votes:
      return "votes";
    case Section::totals:
      return "totals";
  }
  return "?";
}

}  // namespace rekap
