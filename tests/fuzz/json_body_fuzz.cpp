// JSON request bodies (statements, OCR requests, reports) and the sequencer's stored decisions:
// strict parsing never crashes, and what it accepts is an object of allowed members only.
#include <stdexcept>

#include "fuzz.hpp"
#include "http/json_body.hpp"
#include "ingest/decision_text.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  try {
    auto obj = http::parse_json_body(text, {"statement", "signature", "images", "tps"});
    for (const auto& member : obj) {
      const auto k = member.key();
      fuzz::check(k == "statement" || k == "signature" || k == "images" || k == "tps",
                  "only allowed members pass");
    }
  } catch (const http::JsonBodyError&) {
  }
  try {
    ingest::decode_decision(text);
  } catch (const std::exception&) {
  }
  return 0;
}
