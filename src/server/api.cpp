#include "server/api.hpp"

#include <boost/json.hpp>
#include <charconv>

#include "crypto/encoding.hpp"
#include "http/answer.hpp"
#include "http/json_answer.hpp"
#include "http/json_body.hpp"
#include "http/media_type.hpp"
#include "ocr/image_header.hpp"
#include "publish/json_documents.hpp"
#include "publish/tps_document.hpp"

namespace rekap::server {

namespace json = boost::json;

namespace {

http::Response not_found(const http::Call& c, const std::string& what) {
  return http::json_error(http::status::not_found, "not_found", what, c.req.version());
}

// The call's first `{...}` param; the optional second one (a region or TPS code), or "".
std::string code_param(const http::Call& c, std::size_t i) {
  return c.params.size() > i ? std::string(c.params[i]) : "";
}

}  // namespace

http::status status_of(const Decision& d) {
  switch (d.grounds) {
    case Decision::Grounds::none:
      return http::status::ok;
    case Decision::Grounds::not_enrolled:
      return http::status::unauthorized;
    case Decision::Grounds::not_allowed:
      return http::status::forbidden;
    case Decision::Grounds::conflict:
      return http::status::conflict;
    case Decision::Grounds::invalid:
      return http::status::unprocessable_entity;
    case Decision::Grounds::unavailable:
      return http::status::service_unavailable;
  }
  return http::status::internal_server_error;
}

void post_statement(App& app, const http::Call& c, http::Reply reply) {
  unsigned v = c.req.version();
  auto bad = [&](const std::string& code, const std::string& message) {
    reply(http::json_error(http::status::bad_request, code, message, v));
  };
  json::object body;
  try {
    body = http::parse_json_body(c.req.body(), {"statement", "signature"});
  } catch (const http::JsonBodyError& e) {
    return bad(e.code(), e.what());
  }
  const json::value* text = body.if_contains("statement");
  const json::value* sig = body.if_contains("signature");
  if (!text || !text->is_string() || !sig || !sig->is_string()) {
    return bad("malformed_request",
               "body must be {\"statement\": <canonical text>, \"signature\": <base64>}");
  }
  auto sig_bytes = from_base64(sig->as_string());
  if (!sig_bytes || sig_bytes->size() != 64) {
    return bad("malformed_signature", "signature must be 64 bytes in base64");
  }
  Signature signature;
  std::copy(sig_bytes->begin(), sig_bytes->end(), signature.begin());
  std::shared_ptr<const SignedStatement> s;
  try {
    s = std::make_shared<const SignedStatement>(
        SignedStatement::from_wire(std::string(text->as_string()), signature));
  } catch (const StatementError& e) {
    return bad("malformed_statement", std::string("statement: ") + e.what());
  } catch (const SignatureError& e) {
    return reply(http::json_error(http::status::unauthorized, "bad_signature", e.what(), v));
  }
  Hash32 id = s->id;
  app.sequencer().submit(std::move(s), [reply = std::move(reply), v, id](const Decision& d) {
    reply(http::json_response(status_of(d), publish::decision_json(d, id), v));
  });
}

http::Response put_image(App& app, const http::Call& c) {
  std::string_view hex = c.params[0];
  unsigned v = c.req.version();
  Hash32 hash;
  if (!from_hex(hex, hash)) {
    return http::json_error(http::status::bad_request, "bad_hash",
                            "image path must be /api/v1/images/<64 lower-case hex SHA-256>", v);
  }
  if (c.req.body().empty()) {
    return http::json_error(http::status::bad_request, "empty_image", "image body is empty", v);
  }
  // The size from the header, before anything is stored or decoded.
  ocr::ImageHeader header;
  try {
    header = ocr::read_image_header(c.req.body());
  } catch (const ocr::ImageHeaderError& e) {
    return http::json_error(http::status::unsupported_media_type, "not_an_image",
                            std::string("a photo must be a JPEG or PNG image: ") + e.what(), v);
  }
  if (header.pixels() > app.max_image_pixels()) {
    return http::json_error(http::status::payload_too_large, "image_too_large",
                            "the photo is " + ocr::describe(header) + " = " +
                                std::to_string(header.pixels()) + " pixels; the limit is " +
                                std::to_string(app.max_image_pixels()) +
                                " pixels (rekap serve --max-image-pixels)",
                            v);
  }
  bool existed = app.images().exists(hash);
  try {
    app.images().put(hash, c.req.body());
  } catch (const ImageHashMismatch& e) {
    return http::json_error(http::status::unprocessable_entity, "hash_mismatch", e.what(), v);
  }
  return http::json_response(existed ? http::status::ok : http::status::created,
                             json::object{{"status", existed ? "exists" : "stored"},
                                          {"sha256", std::string(hex)},
                                          {"size", c.req.body().size()}},
                             v);
}

http::Response get_image(App& app, const http::Call& c) {
  std::string_view hex = c.params[0];
  Hash32 hash;
  std::optional<std::string> bytes;
  if (from_hex(hex, hash)) bytes = app.images().read(hash);
  if (!bytes) return not_found(c, "no image " + std::string(hex));
  http::Response res{http::status::ok, c.req.version()};
  res.set(http::field::content_type, http::media_type_of_image(*bytes));
  res.set(http::field::cache_control, "public, max-age=31536000, immutable");
  res.body() = std::move(*bytes);
  return res;
}

http::Response post_report(App& app, const http::Call& c) {
  // Every X-Forwarded-For line, in order: a proxy may add its own line rather than append.
  std::string forwarded;
  auto [first, last] = c.req.equal_range("X-Forwarded-For");
  for (auto f = first; f != last; ++f) {
    if (!forwarded.empty()) forwarded += ',';
    forwarded += f->value();
  }
  reports::ReportAnswer a = app.reports().submit(c.req.body(), c.peer, forwarded);
  http::Response res = http::json_response(http::status(a.status), a.body, c.req.version());
  if (a.retry_after.count() > 0) {
    res.set(http::field::retry_after, std::to_string(a.retry_after.count()));
  }
  return res;
}

http::Response get_health(App& app, const http::Call& c) {
  auto stats = app.sequencer().stats();
  const std::uint64_t stored = app.stored_size();
  return http::json_response(
      http::status::ok,
      json::object{{"status", "ok"},
                   {"node", app.node()},
                   {"role", stats.sequencing ? "sequencer" : "follower"},
                   {"sequencer", app.sequencer_node()},
                   {"statements", stats.log_size},
                   {"stored", stored},
                   {"behind", stored > stats.log_size ? stored - stats.log_size : 0},
                   {"accepted", stats.accepted},
                   {"duplicates", stats.duplicates},
                   {"rejected", stats.rejected},
                   {"forwarded", stats.forwarded},
                   {"batches", stats.batches}},
      c.req.version());
}

http::Response get_election(App& app, const http::Call& c) {
  return http::json_response(http::status::ok, publish::election_json(app.def()), c.req.version());
}

http::Response get_region(App& app, const http::Call& c) {
  std::string code = code_param(c, 0);
  int r = app.def().find_region(code);
  if (r < 0) return not_found(c, "no region with code " + code);
  return http::json_response(http::status::ok, publish::region_json(app.def(), r), c.req.version());
}

http::Response get_contest(App& app, const http::Call& c) {
  int k = app.def().find_contest(c.params[0]);
  if (k < 0) return not_found(c, "no contest " + std::string(c.params[0]));
  return http::json_response(http::status::ok, publish::contest_json(app.def(), k),
                             c.req.version());
}

http::Response get_results(App& app, const http::Call& c) {
  const Definition& def = app.def();
  auto b = parse_ballot(c.params[0]);
  if (!b) return not_found(c, "no ballot " + std::string(c.params[0]));
  std::string code = code_param(c, 1);
  auto values = [&app](int tps, Ballot ballot) { return app.tps_values(tps, ballot); };
  if (int t = def.find_tps(code); t >= 0) {
    return http::json_response(http::status::ok, publish::tps_results_json(def, *b, t, values),
                               c.req.version());
  }
  int r = def.find_region(code);
  if (r < 0) return not_found(c, "no region or TPS with code " + code);
  auto doc = app.results().get(*b, r);
  // The cached document's gzip is made once per change, not per request.
  bool gz = http::gzip_answer(c.req, doc->body.size());
  return http::respond(
      c.req, http::Representation{gz ? doc->gzipped() : doc->body,
                                  gz ? http::gzip_etag(doc->etag) : doc->etag, "application/json",
                                  "no-cache", gz, doc->body.size() >= http::kGzipAnswerMinimum});
}

http::Response get_tps(App& app, const http::Call& c) {
  int t = app.def().find_tps(c.params[0]);
  if (t < 0) return not_found(c, "no TPS with code " + std::string(c.params[0]));
  return http::json_response(http::status::ok,
                             publish::tps_document(app.def(), app.store(), app.log(), t),
                             c.req.version());
}

http::Response get_reports(App& app, const http::Call& c) {
  std::string code = code_param(c, 0);
  json::value doc = app.reports().document(code);
  if (doc.is_null()) return not_found(c, "no region or TPS with code " + code);
  return http::json_response(http::status::ok, doc, c.req.version());
}

http::Response get_proof(App& app, const http::Call& c) {
  std::string_view text = c.params[0];
  std::uint64_t index = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), index);
  if (ec != std::errc() || p != text.data() + text.size()) {
    return not_found(c, "no log index " + std::string(text));
  }
  auto proof = publish::inclusion_proof_json(app.log(), app.store(), index);
  if (proof.is_null()) {
    return not_found(c, "entry " + std::string(text) + " is not in the latest checkpoint yet");
  }
  return http::json_response(http::status::ok, proof, c.req.version());
}

http::Response get_definition_file(App& app, const http::Call& c) {
  const auto& files = app.definition_files();
  auto it = files.find(std::string(c.params[0]));
  if (it == files.end()) return not_found(c, "no definition file " + std::string(c.params[0]));
  http::Response res{http::status::ok, c.req.version()};
  res.set(http::field::content_type, "text/csv; charset=utf-8");
  res.set(http::field::cache_control, "public, max-age=300");
  res.body() = it->second;
  return res;
}

http::Response get_log(App& app, const http::Call& c) {
  tlog::LogResponse lr = app.log().get(c.params[0]);
  http::Response res{http::status(lr.status), c.req.version()};
  res.set(http::field::content_type, lr.content_type);
  if (!lr.cache_control.empty()) res.set(http::field::cache_control, lr.cache_control);
  res.body() = std::move(lr.body);
  // Entry bundles go compressed to a client that takes it; tiles are hashes, and do not shrink.
  if (lr.gzip_ok) http::gzip_body(c.req, res);
  return res;
}

http::Response get_portal(App& app, const http::Call& c) {
  if (auto res = app.portal().serve(c.req, c.path)) return std::move(*res);
  if (c.path != "/") return not_found(c, "no such path: " + std::string(c.path));
  http::Response res{http::status::ok, c.req.version()};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.body() = "rekap: election " + app.def().election_id + "\nAPI: /api/v1/election, " +
               "/api/v1/results/<ballot>[/<region code>], /api/v1/tps/<code>\n";
  return res;
}

}  // namespace rekap::server
