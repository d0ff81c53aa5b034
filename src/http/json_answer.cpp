#include "http/json_answer.hpp"

#include <boost/json.hpp>

namespace rekap::http {

Response json_response(status status, const boost::json::value& body, unsigned version) {
  Response res{status, version};
  res.set(field::content_type, "application/json");
  res.set(field::cache_control, "no-cache");
  res.body() = boost::json::serialize(body);
  return res;
}

Response json_error(status status, const std::string& code, const std::string& message,
                    unsigned version) {
  return json_response(status, error_json(code, message), version);
}

boost::json::value error_json(const std::string& code, const std::string& message) {
  return boost::json::object{{"error", code}, {"message", message}};
}

}  // namespace rekap::http
