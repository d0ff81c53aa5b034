#include "publish/opendata/csv_rows.hpp"

#include <set>

#include "core/csv.hpp"
#include "crypto/encoding.hpp"
#include "publish/opendata/wib_time.hpp"

namespace rekap::publish {

namespace {

constexpr const char* kIdentity =
    "provinsi_code,provinsi,kabkota_code,kabkota,kecamatan_code,kecamatan,kelurahan_code,"
    "kelurahan,tps_code,tps,contest,status";
constexpr const char* kProvenance = "type,rev,statement_id,log_index,signer,time,received,images";

void fill_columns(const Definition& def, CsvLayout& layout) {
  layout.columns.assign(def.contests.size(), {});
  for (std::size_t c = 0; c < def.contests.size(); ++c) {
    if (def.contests[c].ballot != layout.ballot) continue;
    if (layout.contest >= 0 && int(c) != layout.contest) continue;
    for (const std::string& name : layout.fields) {
      layout.columns[c].push_back(def.contests[c].layout.find(name));
    }
  }
}

void append_fields(const FormLayout& layout, Section section, std::vector<std::string>& out) {
  for (const Field& f : layout.fields) {
    if (f.section == section) out.push_back(f.name);
  }
}

// The region codes and names from the province down to the desa of a TPS.
std::string identity_cells(const Definition& def, const Tps& t) {
  std::vector<const Region*> chain;
  for (int r = t.region; r > 0; r = def.regions[std::size_t(r)].parent) {
    chain.push_back(&def.regions[std::size_t(r)]);
  }
  std::string out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    out += (*it)->code + "," + csv_cell((*it)->name) + ",";
  }
  // A TPS lies in a desa four levels below the nation; pad should a definition ever differ.
  for (std::size_t i = chain.size(); i < 4; ++i) out += ",,";
  out += t.code + ",TPS " + t.code.substr(10);
  return out;
}

}  // namespace

CsvLayout ballot_csv_layout(const Definition& def, Ballot b) {
  CsvLayout layout;
  layout.ballot = b;
  std::vector<int> contests;
  for (std::size_t c = 0; c < def.contests.size(); ++c) {
    if (def.contests[c].ballot == b) contests.push_back(int(c));
  }
  if (contests.size() == 1) {
    for (const Field& f : def.contests[std::size_t(contests[0])].layout.fields) {
      layout.fields.push_back(f.name);
    }
  } else {
    // Administrasi and totals are the same fields on every form.
    FormLayout common = candidate_layout({});
    append_fields(common, Section::administrasi, layout.fields);
    if (is_party_ballot(b)) {
      std::set<int> parties;
      for (int c : contests) {
        parties.insert(def.contests[std::size_t(c)].parties.begin(),
                       def.contests[std::size_t(c)].parties.end());
      }
      for (int p : parties) {
        layout.fields.push_back("p" + std::to_string(p));
        layout.fields.push_back("p" + std::to_string(p) + "t");
      }
    }
    append_fields(common, Section::totals, layout.fields);
  }
  fill_columns(def, layout);
  return layout;
}

CsvLayout contest_csv_layout(const Definition& def, int contest) {
  CsvLayout layout;
  const Contest& c = def.contests[std::size_t(contest)];
  layout.ballot = c.ballot;
  layout.contest = contest;
  for (const Field& f : c.layout.fields) layout.fields.push_back(f.name);
  fill_columns(def, layout);
  return layout;
}

std::string csv_header(const CsvLayout& layout) {
  std::string out = kIdentity;
  for (const std::string& f : layout.fields) out += "," + f;
  out += ",";
  out += kProvenance;
  out += "\n";
  return out;
}

std::string csv_rows(const Definition& def, const CsvLayout& layout,
                     const std::vector<TpsResult>& results) {
  std::string out;
  for (const TpsResult& r : results) {
    if (layout.contest >= 0 && r.contest != layout.contest) continue;
    const Tps& t = def.tps[std::size_t(r.tps)];
    out += identity_cells(def, t);
    out += "," + def.contests[std::size_t(r.contest)].id;
    out += r.current ? ",reported" : ",missing";
    const auto& columns = layout.columns[std::size_t(r.contest)];
    for (int f : columns) {
      out += ",";
      if (r.current && f >= 0) out += std::to_string(r.current->values[std::size_t(f)]);
    }
    if (!r.current) {
      out += ",,,,,,,,\n";
      continue;
    }
    const CurrentResult& cur = *r.current;
    std::string images;
    for (const Hash32& h : cur.images) images += (images.empty() ? "" : " ") + to_hex(h);
    out += "," + std::string(statement_type_name(cur.type)) + "," + std::to_string(cur.rev) + "," +
           to_hex(cur.id) + "," + std::to_string(cur.index) + "," + to_base64(cur.signer) + "," +
           cur.time + "," + iso_utc(cur.received_ms) + "," + images + "\n";
  }
  return out;
}

std::string csv_columns_dictionary(const Definition& def, int contest) {
  const Contest& c = def.contests[std::size_t(contest)];
  std::string out = "column,section,label,party_number,party,candidate_number,candidate\n";
  for (const Field& f : c.layout.fields) {
    int party = 0, number = 0;
    // Vote fields are c<k> (candidate k), p<n> / p<n>t (party n) and p<n>c<k>.
    if (f.section == Section::votes) {
      if (f.name[0] == 'p') {
        std::size_t end = f.name.find_first_not_of("0123456789", 1);
        party = std::stoi(f.name.substr(1, end - 1));
        if (end != std::string::npos && f.name[end] == 'c')
          number = std::stoi(f.name.substr(end + 1));
      } else {
        number = std::stoi(f.name.substr(1));
      }
    }
    std::string party_name, candidate;
    if (party) {
      if (const Party* p = def.find_party(party)) party_name = p->abbrev;
    }
    if (number) {
      for (const Candidate& cand : c.candidates) {
        if (cand.party == party && cand.number == number) candidate = cand.name;
      }
    }
    out += f.name + "," + section_name(f.section) + "," + csv_cell(f.label) + "," +
           (party ? std::to_string(party) : "") + "," + csv_cell(party_name) + "," +
           (number ? std::to_string(number) : "") + "," + csv_cell(candidate) + "\n";
  }
  return out;
}

}  // namespace rekap::publish
