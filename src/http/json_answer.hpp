#pragma once
// A JSON answer: the body, its content type, and no caching by clients; and the one shape of an
// error answer, {"error": code, "message": message}, as every endpoint gives it.
#include <boost/json/value.hpp>
#include <string>

#include "http/server.hpp"

namespace rekap::http {

Response json_response(status status, const boost::json::value& body, unsigned version);
Response json_error(status status, const std::string& code, const std::string& message,
                    unsigned version);
boost::json::value error_json(const std::string& code, const std::string& message);

}  // namespace rekap::http
