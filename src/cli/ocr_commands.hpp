#pragma once
// `rekap ocr read`: photos of C1 forms to numbers, with what a person must check; and
// `rekap ocr synth`: synthetic photographed forms for trying the reader.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/action.hpp"

namespace rekap::cli {

struct OcrReadArgs {
  std::string def;
  std::vector<std::string> images;
  std::string model;   // empty: the default model
  std::string tps;     // when given, pages of another TPS are refused
  std::string ballot;  // when given, pages of another ballot are refused
  bool json = false;
};
int cmd_ocr_read(const OcrReadArgs& a);

struct OcrSynthArgs {
  std::string def;
  std::string tps;
  std::string ballot;
  std::string out;     // prefix: <out>-<page>.jpg and <out>-truth.json
  std::string values;  // JSON {"field": number}; empty: the simulator's ground truth
  std::uint64_t seed = 1;
  std::string mnist;   // directory of the MNIST IDX files; empty: the default
  bool clean = false;  // the filled page without camera effects
  double blur = 0;     // extra Gaussian blur in pixels (to try the reader's refusal)
};
int cmd_ocr_synth(const OcrSynthArgs& a);

// Adds `ocr` and its subcommands to the program.
void add_ocr_commands(CLI::App& app, Action& action);

}  // namespace rekap::cli
