#include "server/json_answer.hpp"

#include <boost/json.hpp>

#include "server/json_views.hpp"

namespace rekap::server {

Response json_response(http::status status, const boost::json::value& body, unsigned version) {
  Response res{status, version};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, "no-cache");
  res.body() = boost::json::serialize(body);
  return res;
}

Response json_error(http::status status, const std::string& code, const std::string& message,
                    unsigned version) {
  return json_response(status, error_json(code, message), version);
}

}  // namespace rekap::server
