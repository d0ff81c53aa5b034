#include "http/json_body.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <set>
#include <vector>

namespace rekap::http {
namespace {

// Boost.JSON's event parser, told only about keys: a set of the names seen per open object
// (none for an array), and the first name seen twice with its path.
struct KeyWatcher {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  struct Level {
    bool object = false;
    std::set<std::string> keys;
    std::string name;  // the key this value is under in its parent, for the path
  };
  std::vector<Level> levels;
  std::string key;      // the key being read, in parts
  std::string pending;  // the last complete key: the name of the next value
  std::string duplicate;

  // An array's elements have no name: "[]" in the path.
  void open(bool object) {
    const bool in_array = !levels.empty() && !levels.back().object;
    levels.push_back({object, {}, in_array ? "[]" : pending});
    pending.clear();
  }
  // "meta.list[]." for a key inside {"meta": {"list": [{...}]}}.
  std::string path() const {
    std::string out;
    for (std::size_t i = 1; i < levels.size(); ++i) {
      if (levels[i].name != "[]" && !out.empty()) out += ".";
      out += levels[i].name;
    }
    return out.empty() ? out : out + ".";
  }

  bool on_document_begin(boost::system::error_code&) { return true; }
  bool on_document_end(boost::system::error_code&) { return true; }
  bool on_array_begin(boost::system::error_code&) {
    open(false);
    return true;
  }
  bool on_array_end(std::size_t, boost::system::error_code&) {
    levels.pop_back();
    return true;
  }
  bool on_object_begin(boost::system::error_code&) {
    open(true);
    return true;
  }
  bool on_object_end(std::size_t, boost::system::error_code&) {
    levels.pop_back();
    return true;
  }
  bool on_string_part(std::string_view, std::size_t, boost::system::error_code&) { return true; }
  bool on_string(std::string_view, std::size_t, boost::system::error_code&) { return true; }
  bool on_key_part(std::string_view part, std::size_t, boost::system::error_code&) {
    key += part;
    return true;
  }
  bool on_key(std::string_view part, std::size_t, boost::system::error_code&) {
    key += part;
    if (!levels.back().keys.insert(key).second && duplicate.empty()) duplicate = path() + key;
    pending = std::move(key);
    key.clear();
    return true;
  }
  bool on_number_part(std::string_view, boost::system::error_code&) { return true; }
  bool on_int64(std::int64_t, std::string_view, boost::system::error_code&) { return true; }
  bool on_uint64(std::uint64_t, std::string_view, boost::system::error_code&) { return true; }
  bool on_double(double, std::string_view, boost::system::error_code&) { return true; }
  bool on_bool(bool, boost::system::error_code&) { return true; }
  bool on_null(boost::system::error_code&) { return true; }
  bool on_comment_part(std::string_view, boost::system::error_code&) { return true; }
  bool on_comment(std::string_view, boost::system::error_code&) { return true; }
};

}  // namespace

boost::json::object parse_json_body(std::string_view body,
                                    std::initializer_list<std::string_view> allowed) {
  boost::system::error_code ec;
  boost::json::value doc = boost::json::parse(body, ec);
  if (ec) throw JsonBodyError("malformed_json", "", "request body is not JSON: " + ec.message());
  boost::json::basic_parser<KeyWatcher> watcher(boost::json::parse_options{});
  watcher.write_some(false, body.data(), body.size(), ec);
  if (ec) throw JsonBodyError("malformed_json", "", "request body is not JSON: " + ec.message());
  const std::string& duplicate = watcher.handler().duplicate;
  if (!duplicate.empty()) {
    throw JsonBodyError("duplicate_member", duplicate,
                        "member " + duplicate + " appears more than once");
  }
  boost::json::object* obj = doc.if_object();
  if (!obj) throw JsonBodyError("malformed_request", "", "request body must be a JSON object");
  for (const auto& member : *obj) {
    bool known = false;
    for (std::string_view name : allowed) known = known || member.key() == name;
    if (!known) {
      std::string names;
      for (std::string_view name : allowed)
        names += (names.empty() ? "" : ", ") + std::string(name);
      throw JsonBodyError(
          "unexpected_member", member.key(),
          "unexpected member " + std::string(member.key()) + " (this body has " + names + ")");
    }
  }
  return std::move(*obj);
}

}  // namespace rekap::http
