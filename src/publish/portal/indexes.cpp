#include "publish/portal/indexes.hpp"

#include <algorithm>
#include <boost/json.hpp>

namespace rekap::publish {

namespace json = boost::json;

namespace {

bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// The longest code of a region level that is a prefix of `code` (region codes are 2, 4, 6 or
// 10 digits long).
std::string_view region_prefix(std::string_view code) {
  for (std::size_t len : {10u, 6u, 4u, 2u}) {
    if (code.size() >= len) return code.substr(0, len);
  }
  return {};
}

}  // namespace

std::vector<std::string> search_words(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    if (word_char(c)) {
      word.push_back(c);
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

std::map<std::string, json::value> search_shards(const Definition& def) {
  std::map<std::string, json::value> shards;
  for (const Region& r : def.regions) {
    if (r.level == Level::nation) continue;
    std::vector<std::string> keys;
    for (const std::string& w : search_words(r.name)) {
      // A name such as "SUKA SUKAMAJU" is listed once in the shard "su".
      if (w.size() >= 2 && std::find(keys.begin(), keys.end(), w.substr(0, 2)) == keys.end()) {
        keys.push_back(w.substr(0, 2));
      }
    }
    for (const std::string& key : keys) {
      json::value& shard = shards[key];
      if (shard.is_null())
        shard = json::object{{"regions", json::array{}}, {"names", json::object{}}};
      json::object& obj = shard.as_object();
      obj["regions"].as_array().push_back(json::array{json::value(r.code), json::value(r.name)});
      json::object& names = obj["names"].as_object();
      for (int p = r.parent; p > 0; p = def.regions[std::size_t(p)].parent) {
        const Region& parent = def.regions[std::size_t(p)];
        names[parent.code] = parent.name;
      }
    }
  }
  return shards;
}

std::string contest_scope(const Contest& c) {
  // "" (the whole nation) is the prefix of every code, so it gives the nation as scope.
  std::string_view common = c.regions.empty() ? std::string_view() : c.regions[0];
  for (const std::string& code : c.regions) {
    std::size_t n = 0;
    while (n < common.size() && n < code.size() && common[n] == code[n]) ++n;
    common = common.substr(0, n);
  }
  return std::string(region_prefix(common));
}

std::map<std::string, json::value> ballot_contests_by_province(const Definition& def, Ballot b) {
  std::map<std::string, json::value> out;
  for (const Region& p : def.regions) {
    if (p.level == Level::province) out[p.code] = json::array{};
  }
  for (const Contest& c : def.contests) {
    if (c.ballot != b) continue;
    json::array regions;
    std::vector<std::string> provinces;
    for (const std::string& code : c.regions) {
      regions.push_back(json::value(code));
      for (const auto& [province, list] : out) {
        if (code_within(code, province) || code.empty()) provinces.push_back(province);
      }
    }
    json::object entry{{"id", c.id},
                       {"name", c.name},
                       {"seats", c.seats},
                       {"regions", std::move(regions)},
                       {"scope", contest_scope(c)}};
    std::sort(provinces.begin(), provinces.end());
    provinces.erase(std::unique(provinces.begin(), provinces.end()), provinces.end());
    for (const std::string& province : provinces) out[province].as_array().push_back(entry);
  }
  return out;
}

json::value parties_json(const Definition& def) {
  json::array out;
  for (const Party& p : def.parties) {
    out.push_back(json::object{{"number", p.number}, {"abbrev", p.abbrev}, {"name", p.name}});
  }
  return out;
}

}  // namespace rekap::publish
