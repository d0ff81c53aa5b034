#pragma once
// A JSON answer of the API: the body, its content type, and no caching by clients.
#include <boost/json/value.hpp>
#include <string>

#include "server/http_server.hpp"

namespace rekap::server {

Response json_response(http::status status, const boost::json::value& body, unsigned version);
// An error answer: {"error": code, "message": message}, as every endpoint gives it.
Response json_error(http::status status, const std::string& code, const std::string& message,
                    unsigned version);

}  // namespace rekap::server
