#include "server/routes.hpp"

#include "http/answer.hpp"
#include "http/json_answer.hpp"
#include "reports/request.hpp"
#include "server/api.hpp"

namespace rekap::server {

namespace {

using http::verb;

// An API answer made per request: gzipped when it is worth it.
http::Action answer(App& app, http::Response (*action)(App&, const http::Call&)) {
  return [&app, action](const http::Call& c, http::Reply reply) {
    http::Response res = action(app, c);
    http::encode_answer(c.req, res);
    reply(std::move(res));
  };
}

// A document answered through http/answer.hpp, which chose its coding already.
http::Action document(App& app, http::Response (*action)(App&, const http::Call&)) {
  return [&app, action](const http::Call& c, http::Reply reply) { reply(action(app, c)); };
}

}  // namespace

std::unique_ptr<http::Router> make_router(App& app, OcrEndpoint& ocr) {
  std::vector<http::Route> routes{
      // Writes.
      {verb::post, "/api/v1/statements", kStatementBodyLimit,
       [&app](const http::Call& c, http::Reply reply) {
         post_statement(app, c, std::move(reply));
       }},
      {verb::put, "/api/v1/images/{sha256}", kImageBodyLimit, answer(app, put_image)},
      {verb::post, "/api/v1/reports", reports::kReportBodyLimit, answer(app, post_report)},
      {verb::post, "/api/v1/ocr", kOcrBodyLimit,
       [&ocr](const http::Call& c, http::Reply reply) { ocr.handle(c.req, std::move(reply)); }},
      // The API's reads.
      {verb::get, "/api/v1/health", 0, answer(app, get_health)},
      {verb::get, "/api/v1/election", 0, answer(app, get_election)},
      {verb::get, "/api/v1/regions", 0, answer(app, get_region)},
      {verb::get, "/api/v1/regions/{code}", 0, answer(app, get_region)},
      {verb::get, "/api/v1/contests/{id}", 0, answer(app, get_contest)},
      {verb::get, "/api/v1/results/{ballot}", 0, answer(app, get_results)},
      {verb::get, "/api/v1/results/{ballot}/{code}", 0, answer(app, get_results)},
      {verb::get, "/api/v1/tps/{code}", 0, answer(app, get_tps)},
      {verb::get, "/api/v1/images/{sha256}", 0, answer(app, get_image)},
      {verb::get, "/api/v1/reports", 0, answer(app, get_reports)},
      {verb::get, "/api/v1/reports/{code}", 0, answer(app, get_reports)},
      {verb::get, "/api/v1/proof/{index}", 0, answer(app, get_proof)},
      {verb::get, "/api/v1/definition/{file}", 0, answer(app, get_definition_file)},
      // The transparency log, the open data and the portal: documents with their own ETags.
      {verb::get, "/log/*", 0, document(app, get_log)},
      {verb::get, "/data/*", 0,
       [&app](const http::Call& c, http::Reply reply) {
         reply(app.open_data().serve(c.req, c.path));
       }},
      {verb::get, "/pemilu/*", 0,
       [&app](const http::Call& c, http::Reply reply) {
         reply(app.open_data().serve(c.req, c.path));
       }},
      // Sirekap's region lists.
      {verb::get, "/wilayah/*", 0,
       [&app](const http::Call& c, http::Reply reply) {
         reply(app.open_data().serve(c.req, c.path));
       }},
      {verb::get, "/*", 0, document(app, get_portal)},
  };
  return std::make_unique<http::Router>(std::move(routes), http::json_error);
}

}  // namespace rekap::server
