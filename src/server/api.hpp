#pragma once
// HTTP routes of /api/v1 (see docs/api.md).
#include <boost/json/value.hpp>

#include "server/app.hpp"
#include "server/http_server.hpp"
#include "server/ocr_api.hpp"

namespace rekap::server {

inline constexpr std::size_t kStatementBodyLimit = 256 * 1024;
inline constexpr std::size_t kImageBodyLimit = 20 * 1024 * 1024;

class Api : public Handler {
 public:
  Api(App& app, OcrApi& ocr) : app_(app), ocr_(ocr) {}

  std::size_t body_limit(const http::request_header<>& header) const override;
  void handle(Request&& req, const boost::asio::ip::address& peer, Reply reply) override;
  Response error(http::status status, const std::string& message, unsigned version) override;

 private:
  Response get(const Request& req, std::string_view path);
  void post_statement(const Request& req, Reply reply);
  Response put_image(const Request& req, std::string_view hex);
  Response get_image(const Request& req, std::string_view hex);
  Response log_response(const Request& req, LogResponse lr);
  Response post_cosignature(const Request& req);
  Response post_report(const Request& req, const boost::asio::ip::address& peer);
  // The inclusion proof of a log entry in the latest checkpoint; null if it is not in it yet.
  boost::json::value proof_json(std::uint64_t index);

  App& app_;
  OcrApi& ocr_;
};

}  // namespace rekap::server
