// The receipts file `rekap verify --receipts` reads: never a crash.
#include <stdexcept>

#include "audit/verify.hpp"
#include "fuzz.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    audit::parse_receipts(fuzz::input(data, size));
  } catch (const std::exception&) {
  }
  return 0;
}
