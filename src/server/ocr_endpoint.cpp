#include "server/ocr_endpoint.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>

#include "crypto/encoding.hpp"
#include "http/json_answer.hpp"
#include "http/json_body.hpp"
#include "ocr/form_assembly.hpp"
#include "ocr/photo.hpp"
#include "ocr/reading_json.hpp"

namespace rekap::server {

namespace json = boost::json;

namespace {

constexpr const char* kBodyShape =
    "body must be {\"images\": [<sha256 of each page's photo>, ...], \"tps\": <code>, "
    "\"ballot\": <ballot>} (tps and ballot optional)";

struct BadRequest {
  std::string code;
  std::string message;
};

// Reads the request body into images, tps and ballot; what is wrong with it, if anything.
std::optional<BadRequest> parse_request(std::string_view body, std::vector<Hash32>& images,
                                        std::string& tps, std::optional<Ballot>& ballot) {
  json::object doc;
  try {
    doc = http::parse_json_body(body, {"images", "tps", "ballot"});
  } catch (const http::JsonBodyError& e) {
    return BadRequest{e.code(), e.what()};
  }
  auto malformed = [](std::string message) {
    return BadRequest{"malformed_request", std::move(message)};
  };
  const json::object* obj = &doc;
  const json::array* list = obj->contains("images") ? obj->at("images").if_array() : nullptr;
  if (!list) return malformed(kBodyShape);
  if (list->empty() || list->size() > kOcrMaxPages) {
    return malformed("images must name 1 to " + std::to_string(kOcrMaxPages) + " photos");
  }
  for (const json::value& v : *list) {
    Hash32 hash;
    if (!v.is_string() || !from_hex(v.as_string(), hash)) {
      return malformed("each image must be the 64 lower-case hex SHA-256 of an uploaded photo");
    }
    if (std::find(images.begin(), images.end(), hash) != images.end()) {
      return malformed("photo " + std::string(v.as_string()) + " is listed twice");
    }
    images.push_back(hash);
  }
  if (const json::value* t = obj->if_contains("tps")) {
    if (!t->is_string()) return malformed(kBodyShape);
    tps = t->as_string();
  }
  if (const json::value* b = obj->if_contains("ballot")) {
    ballot = b->is_string() ? parse_ballot(b->as_string()) : std::nullopt;
    if (!ballot) return malformed("ballot must be one of ppwp, pdpr, pdpd, pdprdp, pdprdk");
  }
  return std::nullopt;
}

}  // namespace

OcrEndpoint::OcrEndpoint(const Definition& def, const ImageStore& images, OcrOptions options)
    : def_(def), images_(images), options_(std::move(options)) {
  if (options_.threads <= 0) {
    unavailable_ = "the form reader is turned off (--ocr-threads 0)";
    return;
  }
  try {
    for (int i = 0; i < options_.threads; ++i) {
      readers_.push_back(std::make_unique<ocr::PageReader>(def_, options_.model_path));
    }
  } catch (const std::exception& e) {
    if (options_.model_required) {
      throw std::runtime_error("the form reader cannot start: " + std::string(e.what()));
    }
    readers_.clear();
    // The cause names the server's files: it goes to the log, not to clients.
    unavailable_ = "the form reader's digit model cannot be loaded";
    spdlog::warn("ocr: the digit model cannot be loaded ({}); POST /api/v1/ocr answers 503",
                 e.what());
    return;
  }
  for (auto& reader : readers_) {
    worker_.start("rekap-ocr", [this, r = reader.get()] { work(*r); });
  }
}

OcrEndpoint::~OcrEndpoint() {
  stop();
}

void OcrEndpoint::stop() {
  // The forms being read are finished; no job is queued once the workers have stopped.
  worker_.stop();
  std::deque<Job> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(jobs_);
  }
  for (Job& job : dropped) {
    job.reply(http::json_error(http::status::service_unavailable, "ocr_unavailable",
                               "the server is stopping", job.version));
  }
}

void OcrEndpoint::handle(const http::Request& req, http::Reply reply) {
  unsigned v = req.version();
  if (!unavailable_.empty()) {
    return reply(
        http::json_error(http::status::service_unavailable, "ocr_unavailable", unavailable_, v));
  }
  Job job;
  job.version = v;
  if (auto bad = parse_request(req.body(), job.images, job.tps, job.ballot)) {
    return reply(http::json_error(http::status::bad_request, bad->code, bad->message, v));
  }
  std::unique_lock lock(mutex_);
  if (worker_.stopping()) {
    lock.unlock();
    return reply(http::json_error(http::status::service_unavailable, "ocr_unavailable",
                                  "the server is stopping", v));
  }
  if (jobs_.size() + std::size_t(reading_) >= std::size_t(options_.threads + options_.waiting)) {
    int after = retry_after_s();
    lock.unlock();
    http::Response res = http::json_error(
        http::status::service_unavailable, "busy",
        "the form reader is busy with other photos; try again in " + std::to_string(after) + " s",
        v);
    res.set(http::field::retry_after, std::to_string(after));
    return reply(std::move(res));
  }
  job.reply = std::move(reply);
  jobs_.push_back(std::move(job));
  lock.unlock();
  wake_.notify_one();
}

int OcrEndpoint::retry_after_s() const {
  double queued = double(jobs_.size() + std::size_t(reading_));
  return std::max(1, int(std::ceil(seconds_per_form_ * queued / options_.threads)));
}

void OcrEndpoint::work(ocr::PageReader& reader) {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return worker_.stopping() || !jobs_.empty(); });
    if (worker_.stopping()) return;
    Job job = std::move(jobs_.front());
    jobs_.pop_front();
    ++reading_;
    lock.unlock();
    auto started = std::chrono::steady_clock::now();
    http::Response res;
    try {
      res = read(reader, job);
    } catch (const std::exception& e) {
      spdlog::error("POST /api/v1/ocr failed: {}", e.what());
      res = http::json_error(http::status::internal_server_error, "internal",
                             "reading the photos failed; the error is logged", job.version);
    }
    std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    job.reply(std::move(res));
    lock.lock();
    --reading_;
    seconds_per_form_ = 0.8 * seconds_per_form_ + 0.2 * took.count();
  }
}

http::Response OcrEndpoint::read(ocr::PageReader& reader, const Job& job) const {
  std::vector<ocr::PhotoPage> pages;
  json::array refused;
  for (const Hash32& hash : job.images) {
    std::string hex = to_hex(hash);
    std::optional<std::string> bytes = images_.read(hash);
    if (!bytes) {
      return http::json_error(
          http::status::unprocessable_entity, "missing_image",
          "photo " + hex + " has not been uploaded (PUT /api/v1/images/<sha256>)", job.version);
    }
    try {
      pages.push_back(
          {ocr::read_form_page(reader, ocr::decode_photo(*bytes), job.tps, job.ballot), hex});
    } catch (const ocr::ReadError& e) {
      refused.push_back(ocr::refusal_json(hex, e));
    }
  }
  auto refusal = [&](json::array list) {
    const json::object& first = list.front().as_object();
    json::object body{{"error", first.at("error")},
                      {"message", first.at("message")},
                      {"image", first.at("image")},
                      {"refused", std::move(list)}};
    return http::json_response(http::status::unprocessable_entity, body, job.version);
  };
  if (!refused.empty()) return refusal(std::move(refused));
  ocr::AssembledForm assembled = ocr::assemble_form(def_, std::move(pages));
  if (assembled.refusal) {
    for (const std::string& hex : assembled.images) {
      refused.push_back(ocr::refusal_json(hex, *assembled.refusal));
    }
    return refusal(std::move(refused));
  }
  return http::json_response(http::status::ok,
                             ocr::form_json(def_, *assembled.form, assembled.images), job.version);
}

}  // namespace rekap::server
