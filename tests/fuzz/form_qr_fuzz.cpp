// What a form's QR code says: decoded only from the one spelling the encoder writes.
#include "forms/template.hpp"
#include "fuzz.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  if (auto q = forms::decode_qr_payload(text)) {
    fuzz::check(forms::encode_qr_payload(*q) == text, "a QR payload encodes back to its text");
  }
  return 0;
}
