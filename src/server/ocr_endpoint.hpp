#pragma once
// POST /api/v1/ocr (docs/api.md): the form reader (src/ocr) run on photos already uploaded
// with PUT /api/v1/images/<sha256>, for the officer's page. Reading a page costs about half a
// second of a core, so requests are read by a few threads of their own and at most a few more
// wait; beyond that the answer is 503 with Retry-After, and the HTTP threads and the statement
// path never wait for the reader.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/definition.hpp"
#include "crypto/keys.hpp"
#include "http/server.hpp"
#include "store/image_store.hpp"
#include "util/worker.hpp"

namespace rekap::ocr {
class PageReader;
}

namespace rekap::server {

// The request names photos by hash, so its body stays small.
inline constexpr std::size_t kOcrBodyLimit = 16 * 1024;
// A form has at most 99 pages (its QR code says n/m with m <= 99).
inline constexpr std::size_t kOcrMaxPages = 99;

struct OcrOptions {
  std::string model_path;  // the digit model (ONNX)
  // Whether a model that cannot be loaded stops the server; otherwise OCR answers 503
  // ocr_unavailable and everything else works.
  bool model_required = false;
  int threads = 1;  // forms read at once; 0 turns OCR off
  int waiting = 2;  // requests that may wait for a reader beyond those being read
};

class OcrEndpoint {
 public:
  OcrEndpoint(const Definition& def, const ImageStore& images, OcrOptions options);
  ~OcrEndpoint();
  OcrEndpoint(const OcrEndpoint&) = delete;
  OcrEndpoint& operator=(const OcrEndpoint&) = delete;

  // POST /api/v1/ocr; answers from a reader thread.
  void handle(const http::Request& req, http::Reply reply);
  // Lets the form being read finish and drops those waiting; call before the HTTP server goes.
  void stop();

 private:
  struct Job {
    std::vector<Hash32> images;
    std::string tps;               // empty: any
    std::optional<Ballot> ballot;  // none: any
    unsigned version = 11;
    http::Reply reply;
  };

  void work(ocr::PageReader& reader);
  http::Response read(ocr::PageReader& reader, const Job& job) const;
  // Seconds until a reader is likely free, from the recent time per form.
  int retry_after_s() const;

  const Definition& def_;
  const ImageStore& images_;
  OcrOptions options_;
  std::string unavailable_;  // why OCR is off; empty when it is on
  std::vector<std::unique_ptr<ocr::PageReader>> readers_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  int reading_ = 0;
  double seconds_per_form_ = 1.0;  // moving average
  Worker worker_{mutex_, wake_};
};

}  // namespace rekap::server
