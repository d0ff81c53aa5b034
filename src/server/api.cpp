#include "server/api.hpp"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <charconv>

#include "crypto/encoding.hpp"
#include "server/content_coding.hpp"
#include "server/gzip.hpp"
#include "server/json_answer.hpp"
#include "server/json_views.hpp"
#include "server/report_request.hpp"
#include "server/static_files.hpp"
#include "server/tps_document.hpp"

namespace rekap::server {

namespace json = boost::json;

namespace {

constexpr std::string_view kApi = "/api/v1/";

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

std::string_view image_type(const std::string& bytes) {
  if (bytes.starts_with("\xff\xd8\xff")) return "image/jpeg";
  if (bytes.starts_with("\x89PNG")) return "image/png";
  return "application/octet-stream";
}

}  // namespace

std::size_t Api::body_limit(const http::request_header<>& header) const {
  std::string_view target = header.target();
  target = target.substr(0, target.find('?'));
  if (header.method() == http::verb::post && target == "/api/v1/statements") {
    return kStatementBodyLimit;
  }
  if (header.method() == http::verb::put && target.starts_with("/api/v1/images/")) {
    return kImageBodyLimit;
  }
  if (header.method() == http::verb::post && target == "/api/v1/log/cosignatures") {
    return kStatementBodyLimit;
  }
  if (header.method() == http::verb::post && target == "/api/v1/reports") return kReportBodyLimit;
  if (header.method() == http::verb::post && target == "/api/v1/ocr") return kOcrBodyLimit;
  return 0;
}

Response Api::error(http::status status, const std::string& message, unsigned version) {
  std::string code = status == http::status::payload_too_large ? "too_large" : "bad_request";
  return json_error(status, code, message, version);
}

void Api::handle(Request&& req, const boost::asio::ip::address& peer, Reply reply) {
  std::string_view target = req.target();
  std::string_view path = target.substr(0, target.find('?'));
  try {
    if (req.method() == http::verb::post && path == "/api/v1/statements") {
      return post_statement(req, std::move(reply));
    }
    if (req.method() == http::verb::put && path.starts_with("/api/v1/images/")) {
      return reply(put_image(req, path.substr(15)));
    }
    if (req.method() == http::verb::post && path == "/api/v1/log/cosignatures") {
      return reply(post_cosignature(req));
    }
    if (req.method() == http::verb::post && path == "/api/v1/reports") {
      return reply(post_report(req, peer));
    }
    if (req.method() == http::verb::post && path == "/api/v1/ocr") {
      return ocr_.handle(req, std::move(reply));
    }
    if ((req.method() == http::verb::get || req.method() == http::verb::head) &&
        path.starts_with("/log/")) {
      return reply(log_response(req, app_.log().get(path.substr(5))));
    }
    if ((req.method() == http::verb::get || req.method() == http::verb::head) &&
        (path.starts_with("/data/") || path.starts_with("/pemilu/"))) {
      return reply(app_.open_data().serve(req, path));
    }
    if (req.method() == http::verb::get || req.method() == http::verb::head) {
      // The portal's files and indexes (docs/portal.md); "/" is its page once it is built.
      if (auto res = app_.portal().serve(req, path)) return reply(std::move(*res));
      Response res = get(req, path);
      encode_answer(req, res);
      if (req.method() == http::verb::head) {
        res.content_length(res.body().size());
        res.body().clear();
      }
      return reply(std::move(res));
    }
    reply(json_error(http::status::method_not_allowed, "method_not_allowed",
                     std::string(req.method_string()) + " is not allowed on " + std::string(path),
                     req.version()));
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", std::string(req.method_string()), std::string(path),
                  e.what());
    reply(json_error(http::status::internal_server_error, "internal", e.what(), req.version()));
  }
}

Response Api::get(const Request& req, std::string_view path) {
  const Definition& def = app_.def();
  unsigned v = req.version();
  auto not_found = [&](const std::string& what) {
    return json_error(http::status::not_found, "not_found", what, v);
  };
  if (path == "/") {
    Response res{http::status::ok, v};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = "rekap: election " + def.election_id + "\nAPI: /api/v1/election, " +
                 "/api/v1/results/<ballot>[/<region code>], /api/v1/tps/<code>\n";
    return res;
  }
  if (!path.starts_with(kApi)) return not_found("no such path: " + std::string(path));
  auto parts = split_path(path.substr(kApi.size()));
  if (parts.empty()) return not_found("no such path: " + std::string(path));
  std::string_view what = parts[0];
  if (what == "health" && parts.size() == 1) {
    auto stats = app_.sequencer().stats();
    return json_response(http::status::ok,
                         json::object{{"status", "ok"},
                                      {"statements", app_.store().size()},
                                      {"accepted", stats.accepted},
                                      {"duplicates", stats.duplicates},
                                      {"rejected", stats.rejected},
                                      {"batches", stats.batches}},
                         v);
  }
  if (what == "election" && parts.size() == 1) {
    return json_response(http::status::ok, election_json(def), v);
  }
  if (what == "regions" && parts.size() <= 2) {
    std::string code = parts.size() == 2 ? std::string(parts[1]) : "";
    int r = def.find_region(code);
    if (r < 0) return not_found("no region with code " + code);
    return json_response(http::status::ok, region_json(def, r), v);
  }
  if (what == "contests" && parts.size() == 2) {
    int c = def.find_contest(parts[1]);
    if (c < 0) return not_found("no contest " + std::string(parts[1]));
    return json_response(http::status::ok, contest_json(def, c), v);
  }
  if (what == "results" && (parts.size() == 2 || parts.size() == 3)) {
    auto b = parse_ballot(parts[1]);
    if (!b) return not_found("no ballot " + std::string(parts[1]));
    std::string code = parts.size() == 3 ? std::string(parts[2]) : "";
    auto values = [this](int tps, Ballot ballot) { return app_.tps_values(tps, ballot); };
    if (int t = def.find_tps(code); t >= 0) {
      return json_response(http::status::ok, tps_results_json(def, *b, t, values), v);
    }
    int r = def.find_region(code);
    if (r < 0) return not_found("no region or TPS with code " + code);
    auto doc = app_.results().get(*b, r);
    // The cached document's gzip is made once per change, not per request.
    bool gz = gzip_answer(req, doc->body.size());
    std::string etag = gz ? gzip_etag(doc->etag) : doc->etag;
    Response res{etag_matches(req, etag) ? http::status::not_modified : http::status::ok, v};
    res.set(http::field::etag, etag);
    if (doc->body.size() >= kGzipAnswerMinimum) res.set(http::field::vary, "Accept-Encoding");
    if (res.result() == http::status::not_modified) return res;
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-cache");
    if (gz) res.set(http::field::content_encoding, "gzip");
    res.body() = gz ? doc->gzipped() : doc->body;
    return res;
  }
  if (what == "tps" && parts.size() == 2) {
    int t = def.find_tps(parts[1]);
    if (t < 0) return not_found("no TPS with code " + std::string(parts[1]));
    return json_response(http::status::ok, tps_document(def, app_.store(), app_.log(), t), v);
  }
  if (what == "images" && parts.size() == 2) return get_image(req, parts[1]);
  if (what == "reports" && parts.size() <= 2) {
    std::string code = parts.size() == 2 ? std::string(parts[1]) : "";
    json::value doc = app_.reports().document(code);
    if (doc.is_null()) return not_found("no region or TPS with code " + code);
    return json_response(http::status::ok, doc, v);
  }
  if (what == "proof" && parts.size() == 2) {
    std::uint64_t index = 0;
    auto [p, ec] = std::from_chars(parts[1].data(), parts[1].data() + parts[1].size(), index);
    if (ec != std::errc() || p != parts[1].data() + parts[1].size()) {
      return not_found("no log index " + std::string(parts[1]));
    }
    auto proof = proof_json(index);
    if (proof.is_null()) {
      return not_found("entry " + std::string(parts[1]) + " is not in the latest checkpoint yet");
    }
    return json_response(http::status::ok, proof, v);
  }
  if (what == "definition" && parts.size() == 2) {
    const auto& files = app_.definition_files();
    auto it = files.find(std::string(parts[1]));
    if (it == files.end()) return not_found("no definition file " + std::string(parts[1]));
    Response res{http::status::ok, v};
    res.set(http::field::content_type, "text/csv; charset=utf-8");
    res.set(http::field::cache_control, "public, max-age=300");
    res.body() = it->second;
    return res;
  }
  return not_found("no such path: " + std::string(path));
}

void Api::post_statement(const Request& req, Reply reply) {
  unsigned v = req.version();
  auto bad = [&](const std::string& code, const std::string& message) {
    reply(json_error(http::status::bad_request, code, message, v));
  };
  boost::system::error_code ec;
  json::value body = json::parse(req.body(), ec);
  if (ec) return bad("malformed_json", "request body is not JSON: " + ec.message());
  const json::object* obj = body.if_object();
  const json::value* text = obj ? obj->if_contains("statement") : nullptr;
  const json::value* sig = obj ? obj->if_contains("signature") : nullptr;
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
    return reply(json_error(http::status::unauthorized, "bad_signature", e.what(), v));
  }
  Hash32 id = s->id;
  app_.sequencer().submit(std::move(s), [reply = std::move(reply), v, id](const Decision& d) {
    reply(json_response(http::status(d.status), decision_json(d, id), v));
  });
}

json::value Api::proof_json(std::uint64_t index) {
  return inclusion_proof_json(app_.log(), app_.store(), index);
}

Response Api::log_response(const Request& req, LogResponse lr) {
  Response res{http::status(lr.status), req.version()};
  res.set(http::field::content_type, lr.content_type);
  if (!lr.cache_control.empty()) res.set(http::field::cache_control, lr.cache_control);
  if (lr.gzip_ok && gzip_accepted(req[http::field::accept_encoding])) {
    res.set(http::field::content_encoding, "gzip");
    res.set(http::field::vary, "Accept-Encoding");
    res.body() = gzip(lr.body);
  } else {
    res.body() = std::move(lr.body);
  }
  return res;
}

Response Api::post_cosignature(const Request& req) {
  boost::system::error_code ec;
  json::value body = json::parse(req.body(), ec);
  const json::object* obj = ec ? nullptr : body.if_object();
  const json::value* checkpoint = obj ? obj->if_contains("checkpoint") : nullptr;
  const json::value* line = obj ? obj->if_contains("cosignature") : nullptr;
  if (!checkpoint || !checkpoint->is_string() || !line || !line->is_string()) {
    return json_error(http::status::bad_request, "malformed_request",
                      "body must be {\"checkpoint\": <note>, \"cosignature\": <signature line>}",
                      req.version());
  }
  LogResponse lr = app_.log().add_cosignature(checkpoint->as_string(), line->as_string());
  std::string code = lr.status == 200   ? "cosigned"
                     : lr.status == 409 ? "stale_checkpoint"
                                        : "refused";
  if (lr.status == 200) {
    return json_response(http::status::ok, json::object{{"status", code}, {"message", lr.body}},
                         req.version());
  }
  return json_error(http::status(lr.status), code, lr.body, req.version());
}

Response Api::post_report(const Request& req, const boost::asio::ip::address& peer) {
  // Every X-Forwarded-For line, in order: a proxy may add its own line rather than append.
  std::string forwarded;
  auto [first, last] = req.equal_range("X-Forwarded-For");
  for (auto f = first; f != last; ++f) {
    if (!forwarded.empty()) forwarded += ',';
    forwarded += f->value();
  }
  ReportAnswer a = app_.reports().submit(req.body(), peer, forwarded);
  Response res = json_response(http::status(a.status), a.body, req.version());
  if (a.retry_after.count() > 0) {
    res.set(http::field::retry_after, std::to_string(a.retry_after.count()));
  }
  return res;
}

Response Api::put_image(const Request& req, std::string_view hex) {
  Hash32 hash;
  if (!from_hex(hex, hash)) {
    return json_error(http::status::bad_request, "bad_hash",
                      "image path must be /api/v1/images/<64 lower-case hex SHA-256>",
                      req.version());
  }
  if (req.body().empty()) {
    return json_error(http::status::bad_request, "empty_image", "image body is empty",
                      req.version());
  }
  bool existed = app_.images().exists(hash);
  try {
    app_.images().put(hash, req.body());
  } catch (const ImageHashMismatch& e) {
    return json_error(http::status::unprocessable_entity, "hash_mismatch", e.what(), req.version());
  }
  return json_response(existed ? http::status::ok : http::status::created,
                       json::object{{"status", existed ? "exists" : "stored"},
                                    {"sha256", std::string(hex)},
                                    {"size", req.body().size()}},
                       req.version());
}

Response Api::get_image(const Request& req, std::string_view hex) {
  Hash32 hash;
  std::optional<std::string> bytes;
  if (from_hex(hex, hash)) bytes = app_.images().read(hash);
  if (!bytes) {
    return json_error(http::status::not_found, "not_found", "no image " + std::string(hex),
                      req.version());
  }
  Response res{http::status::ok, req.version()};
  res.set(http::field::content_type, image_type(*bytes));
  res.set(http::field::cache_control, "public, max-age=31536000, immutable");
  res.body() = std::move(*bytes);
  return res;
}

}  // namespace rekap::server
