#include "audit/witness_http.hpp"

namespace rekap::audit {

namespace {

http::Response text_response(http::status status, const std::string& content_type, std::string body,
                             unsigned version) {
  http::Response res{status, version};
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

}  // namespace

WitnessHttp::WitnessHttp(Witness& witness, const std::string& prefix)
    : pattern_(prefix + "/add-checkpoint") {
  std::vector<http::Route> routes{
      {http::verb::post, pattern_, kAddCheckpointBodyLimit,
       [&witness](const http::Call& c, http::Reply reply) {
         tlog::WitnessAnswer a = witness.add_checkpoint(c.req.body());
         reply(text_response(http::status(a.status), a.content_type, std::move(a.body),
                             c.req.version()));
       }},
  };
  // The router's own answers (404, 405, 413, 400, 500) in the same plain text.
  router_ = std::make_unique<http::Router>(
      std::move(routes),
      [](http::status s, const std::string&, const std::string& message, unsigned version) {
        return text_response(s, "text/plain; charset=utf-8", message + "\n", version);
      });
}

}  // namespace rekap::audit
