// Election definitions: the six CSV files, which the commission writes and `rekap init` reads.
// The input holds them one after another, each under a line "@@ <name>" (the seed corpus is
// small real definitions in that shape, see corpus/definition). Every problem is reported as a
// DefinitionError, never a crash; a definition that builds has consistent indexes.
#include <string>

#include "core/csv.hpp"
#include "core/definition.hpp"
#include "fuzz.hpp"

using namespace rekap;

namespace {

DefinitionFiles split(std::string_view text) {
  DefinitionFiles files;
  std::string* current = nullptr;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    const std::string_view line =
        text.substr(0, end == std::string_view::npos ? text.size() : end + 1);
    text.remove_prefix(line.size());
    if (line.starts_with("@@ ")) {
      std::string name(line.substr(3));
      if (!name.empty() && name.back() == '\n') name.pop_back();
      current = &files[name];
    } else if (current) {
      *current += line;
    }
  }
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::input(data, size);
  try {
    parse_csv(text);
  } catch (const std::exception&) {
  }
  const DefinitionFiles files = split(text);
  try {
    Definition def = build_definition(files);
    for (std::size_t t = 0; t < def.tps.size(); ++t) {
      fuzz::check(def.tps[t].region >= 0 && std::size_t(def.tps[t].region) < def.regions.size(),
                  "every TPS is in a region");
      fuzz::check(def.find_tps(def.tps[t].code) == int(t), "every TPS is found by its code");
    }
  } catch (const DefinitionError&) {
  }
  return 0;
}
