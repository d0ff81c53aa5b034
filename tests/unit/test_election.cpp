#include "test_election.hpp"

#include <stdexcept>

namespace rekap::test {

DefinitionFiles election_files() {
  return {
      {"election.csv", "id,name,date\ntest-2024,Pemilu uji,2024-02-14\n"},
      {"regions.csv",
       "code,name\n31,DKI JAKARTA\n3171,JAKARTA SELATAN\n317101,TEBET\n3171011001,TEBET TIMUR\n"
       "3171011002,TEBET BARAT\n"},
      {"tps.csv",
       "code,dpt_l,dpt_p\n3171011001001,50,50\n3171011001002,120,130\n3171011002001,90,95\n"
       "3171011002002,1,0\n"},
      {"parties.csv",
       "number,abbrev,name,province\n1,PKB,Partai Kebangkitan Bangsa,\n"
       "2,GERINDRA,Partai Gerakan Indonesia Raya,\n"},
      {"contests.csv",
       "id,ballot,name,seats,regions\nppwp,ppwp,Presiden dan Wakil Presiden,1,*\n"
       "pdpd-31,pdpd,DPD DKI Jakarta,4,31\npdpr-31-2,pdpr,DKI Jakarta II,7,3171\n"
       "pdprdp-31-7,pdprdp,DKI Jakarta 7,10,3171\npdprdk-3171-1,pdprdk,Jakarta Selatan "
       "1,8,317101\n"},
      {"candidates.csv",
       "contest,party,number,name\nppwp,,1,Pasangan Satu\nppwp,,2,Pasangan Dua\n"
       "ppwp,,3,Pasangan Tiga\npdpd-31,,1,Calon A\npdpd-31,,2,Calon B\n"
       "pdpr-31-2,1,1,Caleg A\npdpr-31-2,1,2,Caleg B\npdpr-31-2,2,1,Caleg C\n"
       "pdprdp-31-7,1,1,Caleg D\npdprdp-31-7,2,1,Caleg E\npdprdp-31-7,2,2,Caleg F\n"
       "pdprdk-3171-1,1,1,Caleg G\npdprdk-3171-1,2,1,Caleg H\n"},
  };
}

const Definition& election() {
  static const Definition def = build_definition(election_files());
  return def;
}

SignedStatement genesis(const Definition& def, const SecretKey& admin) {
  Statement g;
  g.type = StatementType::genesis;
  g.election = def.election_id;
  g.time = "2024-02-01T00:00:00Z";
  g.definition = def.hash;
  return SignedStatement::sign(g, admin);
}

void set(const FormLayout& layout, std::vector<std::uint32_t>& values, const std::string& field,
         std::int64_t delta) {
  int f = layout.find(field);
  if (f < 0) throw std::invalid_argument("no field " + field);
  values[f] = std::uint32_t(std::int64_t(values[f]) + delta);
}

std::vector<std::uint32_t> valid_form(const FormLayout& layout, const TpsParams& tps,
                                      std::uint32_t voters) {
  std::vector<std::uint32_t> v(layout.fields.size(), 0);
  auto put = [&](const std::string& name, std::uint32_t value) { v[layout.find(name)] = value; };
  auto triple = [&](const std::string& name, std::uint32_t l, std::uint32_t p) {
    put(name + "_l", l);
    put(name + "_p", p);
    put(name + "_j", l + p);
  };
  triple("pemilih_dpt", tps.dpt_l, tps.dpt_p);
  // Voters split evenly by sex; a few from DPTb and DPK beyond the DPT.
  std::uint32_t l = voters / 2, p = voters - voters / 2;
  std::uint32_t extra_l = std::min<std::uint32_t>(l, 2), extra_p = std::min<std::uint32_t>(p, 2);
  std::uint32_t dpt_l = std::min(l - extra_l, tps.dpt_l), dpt_p = std::min(p - extra_p, tps.dpt_p);
  triple("pengguna_dpt", dpt_l, dpt_p);
  triple("pengguna_dptb", l - dpt_l, p - dpt_p);
  triple("pengguna_dpk", 0, 0);
  triple("pengguna_total", l, p);
  triple("disabilitas", std::min<std::uint32_t>(l, 1), std::min<std::uint32_t>(p, 1));
  std::uint32_t received = tps.max_value();
  put("ss_diterima", received);
  put("ss_digunakan", voters);
  put("ss_rusak", 0);
  put("ss_sisa", received - voters);
  std::uint32_t invalid = voters / 25;
  std::uint32_t valid = voters - invalid;
  put("suara_sah", valid);
  put("suara_tidak_sah", invalid);
  put("suara_total", voters);
  // Valid votes go to vote fields in turn; party totals are recomputed after.
  std::vector<int> units;
  for (std::size_t i = 0; i < layout.fields.size(); ++i) {
    const Field& f = layout.fields[i];
    if (f.section == Section::votes && f.name.back() != 't') units.push_back(int(i));
  }
  for (std::uint32_t k = 0; k < valid; ++k) v[units[k % units.size()]] += 1;
  for (const Constraint& c : layout.constraints) {
    if (c.rule != "party_total") continue;
    std::uint32_t sum = 0;
    for (const Term& t : c.lhs) sum += v[t.field];
    v[c.rhs_field] = sum;
  }
  return v;
}

}  // namespace rekap::test
