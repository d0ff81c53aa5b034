// C2SP tlog-witness add-checkpoint bodies, which `rekap witness serve` reads from anyone and the
// log writes: what parses formats back to its bytes, and a 409's size reads back the same.
#include <stdexcept>

#include "fuzz.hpp"
#include "log/add_checkpoint.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  try {
    tlog::AddCheckpoint request = tlog::parse_add_checkpoint(text);
    fuzz::check(tlog::format_add_checkpoint(request) == text, "a request formats back");
  } catch (const std::invalid_argument&) {
  }
  if (auto n = tlog::parse_tlog_size(text)) {
    fuzz::check(tlog::format_tlog_size(*n) == text, "a tlog size formats back");
  }
  return 0;
}
