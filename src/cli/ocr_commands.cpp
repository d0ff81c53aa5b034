#include "cli/ocr_commands.hpp"

#include <iostream>
#include <map>
#include <random>

#include <boost/json.hpp>
#include <opencv2/imgproc.hpp>

#include "cli/shared_options.hpp"
#include "core/definition.hpp"
#include "forms/template.hpp"
#include "ocr/form_assembly.hpp"
#include "ocr/photo.hpp"
#include "ocr/reading_json.hpp"
#include "sim/form_photo.hpp"
#include "sim/votes.hpp"
#include "util/files.hpp"

namespace rekap::cli {

namespace {

std::string describe(const Definition& def, const ocr::FormRead& form) {
  const Contest& c = def.contests[form.contest];
  const ocr::FormDecision& d = form.decision;
  std::string s = "TPS " + form.tps + " " + std::string(ballot_id(form.ballot)) + " (" +
                  std::to_string(form.pages.size()) + " page(s)): ";
  if (d.accepted) {
    s += "accepted, " + std::to_string(c.layout.fields.size()) + " numbers\n";
  } else {
    s += "needs review: " + d.reason + "\n";
  }
  for (std::size_t f = 0; f < c.layout.fields.size(); ++f) {
    const ocr::FieldRead& r = form.field(f);
    s += "  " + c.layout.fields[f].name + " = " + std::to_string(d.values[f]);
    if (d.review[f]) {
      s += "   <- check (digits " + std::to_string(r.digits.value) + ", bubbles " +
           std::to_string(r.marks.value) + ")";
    }
    s += "\n";
  }
  return s;
}

}  // namespace

int cmd_ocr_read(const OcrReadArgs& a) {
  Definition def = build_definition(read_named_files(a.def, kDefinitionFileNames));
  std::optional<Ballot> want_ballot;
  if (!a.ballot.empty()) {
    want_ballot = parse_ballot(a.ballot);
    if (!want_ballot) throw std::invalid_argument("unknown ballot: " + a.ballot);
  }
  ocr::PageReader reader(def, a.model.empty() ? ocr::default_model_path() : a.model);

  // Pages by form, in the order the forms were first seen.
  std::vector<std::string> order;
  std::map<std::string, std::vector<ocr::PhotoPage>> forms;
  boost::json::array refused;
  std::string text;
  for (const std::string& image : a.images) {
    try {
      std::optional<std::string> bytes = read_file(image);
      if (!bytes) throw ocr::ReadError(ocr::ReadError::Kind::not_a_form, "cannot read the file");
      ocr::PageRead page =
          ocr::read_form_page(reader, ocr::decode_photo(*bytes), a.tps, want_ballot);
      std::string key = page.qr.tps + " " + std::string(ballot_id(page.qr.ballot));
      if (!forms.contains(key)) order.push_back(key);
      forms[key].push_back({std::move(page), image});
    } catch (const ocr::ReadError& e) {
      refused.push_back(ocr::refusal_json(image, e));
      text +=
          image + ": refused (" + std::string(ocr::kind_name(e.kind())) + "): " + e.what() + "\n";
    }
  }
  boost::json::array decided;
  bool all_accepted = true;
  for (const std::string& key : order) {
    ocr::AssembledForm assembled = ocr::assemble_form(def, std::move(forms[key]));
    if (const auto& e = assembled.refusal) {
      for (const std::string& img : assembled.images) refused.push_back(ocr::refusal_json(img, *e));
      text += "TPS " + key + ": refused (" + std::string(ocr::kind_name(e->kind())) +
              "): " + e->what() + "\n";
      continue;
    }
    const ocr::FormRead& form = *assembled.form;
    all_accepted = all_accepted && form.decision.accepted;
    decided.push_back(ocr::form_json(def, form, assembled.images));
    text += describe(def, form);
  }
  if (a.json) {
    boost::json::object out{{"forms", std::move(decided)}, {"refused", refused}};
    std::cout << boost::json::serialize(out) << "\n";
  } else {
    std::cout << text;
  }
  if (!refused.empty()) return 2;
  return all_accepted ? 0 : 3;
}

int cmd_ocr_synth(const OcrSynthArgs& a) {
  Definition def = build_definition(read_named_files(a.def, kDefinitionFileNames));
  std::optional<Ballot> ballot = parse_ballot(a.ballot);
  if (!ballot) throw std::invalid_argument("unknown ballot: " + a.ballot);
  int tps = def.find_tps(a.tps);
  if (tps < 0) throw std::invalid_argument("unknown TPS: " + a.tps);
  forms::Template t = forms::build_template(def, a.tps, *ballot);
  const FormLayout& layout = def.contests[def.tps[tps].contest[int(*ballot)]].layout;
  forms::FieldValues values;
  if (a.values.empty()) {
    std::vector<std::uint32_t> truth = sim::tps_values(def, tps, *ballot, a.seed);
    for (std::size_t f = 0; f < truth.size(); ++f) values[layout.fields[f].name] = truth[f];
  } else {
    auto json = boost::json::parse(read_file_or_throw(a.values)).as_object();
    for (const auto& [k, v] : json)
      values[std::string(k)] = std::uint32_t(v.to_number<std::int64_t>());
  }
  sim::MnistDigits digits(a.mnist.empty() ? sim::default_mnist_dir() : a.mnist);
  std::mt19937_64 rng(a.seed);
  sim::PhotoStyle style;
  style.camera = !a.clean;
  boost::json::object truth;
  for (const auto& [k, v] : values) truth[k] = v;
  for (std::size_t p = 0; p < t.pages.size(); ++p) {
    sim::FilledPage filled = sim::fill_page(t, int(p), values, digits, rng, style);
    cv::Mat photo = sim::photograph(filled.page, rng, style);
    if (a.blur > 0) cv::GaussianBlur(photo, photo, cv::Size(0, 0), a.blur);
    std::string path = a.out + "-" + std::to_string(p + 1) + ".jpg";
    auto jpeg = sim::to_jpeg(photo, rng);
    write_file_atomically(path, std::string(jpeg.begin(), jpeg.end()));
    std::cout << path << "\n";
  }
  write_file_atomically(a.out + "-truth.json", boost::json::serialize(truth) + "\n");
  std::cout << a.out << "-truth.json\n";
  return 0;
}

namespace {

void add_read(CLI::App& ocr, Action& action) {
  auto* cmd = ocr.add_subcommand(
      "read",
      "Read photos of C1 form pages: every number with its digit and bubble readings, checked "
      "against the form's arithmetic; exit 0 all accepted, 3 some need review, 2 refused photos");
  OcrReadArgs& a = bind_action<OcrReadArgs>(*cmd, action, cmd_ocr_read);
  cmd->add_option("images", a.images, "Photos of form pages (JPEG or PNG)")->required();
  add_def(*cmd, a.def)->required();
  cmd->add_option("--model", a.model, "Digit model (ONNX); default models/digits.onnx");
  cmd->add_option("--tps", a.tps, "Refuse pages of any other TPS");
  cmd->add_option("--ballot", a.ballot, "Refuse pages of any other ballot");
  add_json(*cmd, a.json, "Print JSON (docs/forms.md)");
}

void add_synth(CLI::App& ocr, Action& action) {
  auto* cmd = ocr.add_subcommand(
      "synth", "Write synthetic phone photos of a TPS's form filled in by hand (MNIST digits)");
  OcrSynthArgs& a = bind_action<OcrSynthArgs>(*cmd, action, cmd_ocr_synth);
  add_def(*cmd, a.def)->required();
  add_tps(*cmd, a.tps)->required();
  add_ballot(*cmd, a.ballot)->required();
  cmd->add_option("--out", a.out, "Prefix: <out>-<page>.jpg and <out>-truth.json")->required();
  cmd->add_option("--values", a.values, "JSON {\"field\": number}; default: simulated votes");
  cmd->add_option("--seed", a.seed, "Seed for the votes and the handwriting")
      ->capture_default_str();
  cmd->add_option("--mnist", a.mnist, "Directory with MNIST's train-*-ubyte files");
  cmd->add_flag("--clean", a.clean, "No camera effects: the filled page itself");
  cmd->add_option("--blur", a.blur, "Extra blur in pixels (to see a refusal)");
}

}  // namespace

void add_ocr_commands(CLI::App& app, Action& action) {
  auto* ocr = app.add_subcommand("ocr", "Read photographed C1 forms");
  ocr->require_subcommand(1);
  add_read(*ocr, action);
  add_synth(*ocr, action);
}

}  // namespace rekap::cli
