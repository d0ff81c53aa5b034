#include "http/answer.hpp"

#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "http/content_coding.hpp"
#include "util/gzip.hpp"

namespace rekap::http {

MemoryFile make_memory_file(std::string body, std::string content_type, std::string cache_control) {
  MemoryFile f;
  f.etag = etag_of(body);
  if (body.size() >= kGzipFileMinimum) {
    f.gz = gzip(body);
    if (f.gz.size() >= body.size()) f.gz.clear();
  }
  f.body = std::move(body);
  f.content_type = std::move(content_type);
  f.cache_control = std::move(cache_control);
  return f;
}

Response respond(const Request& req, const Representation& r) {
  bool fresh = etag_matches(req, r.etag);
  Response res{fresh ? status::not_modified : status::ok, req.version()};
  res.set(field::etag, r.etag);
  res.set(field::cache_control, r.cache_control);
  if (r.has_gzip_form) res.set(field::vary, "Accept-Encoding");
  if (fresh) return res;
  res.set(field::content_type, r.content_type);
  if (r.gzipped) res.set(field::content_encoding, "gzip");
  if (req.method() == verb::head) {
    res.content_length(r.body.size());
  } else {
    res.body() = r.body;
  }
  return res;
}

Response respond(const MemoryFile& file, const Request& req) {
  bool gzipped = !file.gz.empty() && accepts_gzip(req);
  return respond(
      req, Representation{gzipped ? file.gz : file.body, gzipped ? gzip_etag(file.etag) : file.etag,
                          file.content_type, file.cache_control, gzipped, !file.gz.empty()});
}

void answer_head(Response& res) {
  if (res.body().empty()) return;
  res.content_length(res.body().size());
  res.body().clear();
}

std::string etag_of(std::string_view bytes) {
  return "\"" + to_hex(sha256(bytes)).substr(0, 32) + "\"";
}

bool etag_matches(const Request& req, std::string_view etag) {
  std::string_view header = req[field::if_none_match];
  while (!header.empty()) {
    auto comma = header.find(',');
    std::string_view tag = header.substr(0, comma);
    while (!tag.empty() && tag.front() == ' ') tag.remove_prefix(1);
    while (!tag.empty() && tag.back() == ' ') tag.remove_suffix(1);
    if (tag.starts_with("W/")) tag.remove_prefix(2);
    if (tag == etag || tag == "*") return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

std::string gzip_etag(std::string_view etag) {
  std::string out(etag);
  out.insert(out.empty() || out.back() != '"' ? out.size() : out.size() - 1, "-gz");
  return out;
}

bool accepts_gzip(const Request& req) {
  return gzip_accepted(req[field::accept_encoding]);
}

bool gzip_answer(const Request& req, std::size_t size) {
  return size >= kGzipAnswerMinimum && accepts_gzip(req);
}

void gzip_body(const Request& req, Response& res) {
  res.set(field::vary, "Accept-Encoding");
  if (!accepts_gzip(req)) return;
  res.body() = gzip(res.body());
  res.set(field::content_encoding, "gzip");
}

void encode_answer(const Request& req, Response& res) {
  std::string_view type = res[field::content_type];
  // Photos are compressed already.
  bool text = type.starts_with("application/json") || type.starts_with("text/");
  if (!text || res.body().size() < kGzipAnswerMinimum || res.count(field::content_encoding)) {
    return;
  }
  gzip_body(req, res);
}

}  // namespace rekap::http
