// Statements as clients send them and as the store gives them back: strict decoding accepts only
// canonical bytes (encoding what it decoded gives the input again), and the store's fast decoder
// agrees with it on every statement strict decoding accepts.
#include "core/statement.hpp"
#include "fuzz.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  Statement strict;
  try {
    strict = decode_statement(text);
  } catch (const StatementError&) {
    try {
      std::vector<std::uint32_t> values;
      decode_stored_statement(
          text, [](const Statement&) { return nullptr; }, values);
    } catch (const StatementError&) {
    }
    return 0;
  }
  fuzz::check(encode_statement(strict) == text, "decode then encode gives the input");
  std::vector<std::uint32_t> values;
  Statement stored = decode_stored_statement(
      text, [](const Statement&) { return nullptr; }, values);
  fuzz::check(stored == strict, "the stored-statement decoder agrees with the strict one");
  try {
    SignedStatement::from_log_entry(text);
  } catch (const StatementError&) {
  } catch (const SignatureError&) {
  }
  return 0;
}
