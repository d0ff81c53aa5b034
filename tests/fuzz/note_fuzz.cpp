// Signed notes, checkpoints and verifier keys (C2SP signed-note, tlog-checkpoint): each parser
// accepts only what its formatter writes back byte for byte.
#include <stdexcept>

#include "fuzz.hpp"
#include "log/note.hpp"

using namespace rekap;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  try {
    tlog::Note note = tlog::parse_note(text);
    fuzz::check(tlog::format_note(note) == text, "a note formats back to its bytes");
    if (auto cp = tlog::parse_checkpoint_body(note.text)) {
      fuzz::check(tlog::checkpoint_body(*cp) == note.text, "a checkpoint formats back");
    }
  } catch (const std::invalid_argument&) {
  }
  if (auto cp = tlog::parse_checkpoint_body(text)) {
    fuzz::check(tlog::checkpoint_body(*cp) == text, "a checkpoint body formats back");
  }
  if (auto v = tlog::parse_verifier_key(text)) {
    fuzz::check(tlog::verifier_key(v->name, v->key, v->type) == text,
                "a verifier key formats back");
  }
  return 0;
}
