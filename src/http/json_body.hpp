#pragma once
// JSON request bodies, read strictly. A lenient parser keeps the last of two members of the same
// name, so {"statement": "x", "statement": "<real>"} would mean what a reviewer reading the
// first one did not see; a member the endpoint does not know is a client's mistake that would
// pass unnoticed. Both are refused, naming the member, as is anything after the value.
#include <boost/json/object.hpp>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <string_view>

namespace rekap::http {

class JsonBodyError : public std::runtime_error {
 public:
  // code: malformed_json (not JSON, or data after it), malformed_request (not an object),
  // duplicate_member, unexpected_member; member: the member's name, where there is one.
  JsonBodyError(std::string code, std::string member, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)), member_(std::move(member)) {}
  const std::string& code() const { return code_; }
  const std::string& member() const { return member_; }

 private:
  std::string code_;
  std::string member_;
};

// The body as one JSON object whose own members are among `allowed` (names), every object in it
// without a repeated member. Throws JsonBodyError.
boost::json::object parse_json_body(std::string_view body,
                                    std::initializer_list<std::string_view> allowed);

}  // namespace rekap::http
