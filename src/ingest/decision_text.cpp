#include "ingest/decision_text.hpp"

#include <boost/json.hpp>
#include <stdexcept>

namespace rekap::ingest {

namespace json = boost::json;

std::string encode_decision(const Decision& d) {
  json::array violations;
  for (const Violation& v : d.violations) {
    violations.push_back(
        json::array{v.rule.c_str(), v.field.c_str(), v.op.c_str(), v.expected, v.got});
  }
  return json::serialize(json::object{{"kind", int(d.kind)},
                                      {"grounds", int(d.grounds)},
                                      {"code", d.code},
                                      {"message", d.message},
                                      {"index", d.index},
                                      {"violations", std::move(violations)}});
}

Decision decode_decision(std::string_view text) {
  try {
    const json::object o = json::parse(text).as_object();
    Decision d;
    const auto kind = o.at("kind").to_number<int>();
    const auto grounds = o.at("grounds").to_number<int>();
    if (kind < int(Decision::Kind::accepted) || kind > int(Decision::Kind::rejected) ||
        grounds < int(Decision::Grounds::none) || grounds > int(Decision::Grounds::unavailable)) {
      throw std::invalid_argument("kind or grounds out of range");
    }
    d.kind = Decision::Kind(kind);
    d.grounds = Decision::Grounds(grounds);
    d.code = o.at("code").as_string();
    d.message = o.at("message").as_string();
    d.index = o.at("index").to_number<std::uint64_t>();
    for (const json::value& v : o.at("violations").as_array()) {
      const json::array& a = v.as_array();
      d.violations.push_back({std::string(a.at(0).as_string()), std::string(a.at(1).as_string()),
                              std::string(a.at(2).as_string()), a.at(3).to_number<std::int64_t>(),
                              a.at(4).to_number<std::int64_t>()});
    }
    return d;
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string("a queued statement's answer is damaged: ") + e.what());
  }
}

}  // namespace rekap::ingest
