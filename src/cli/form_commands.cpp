#include "cli/form_commands.hpp"

#include <boost/json.hpp>
#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>

#include "cli/shared_options.hpp"
#include "core/definition.hpp"
#include "forms/render.hpp"
#include "forms/template.hpp"
#include "forms/template_json.hpp"
#include "util/files.hpp"

namespace rekap::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

Ballot ballot_arg(const std::string& id) {
  auto b = parse_ballot(id);
  if (!b) {
    throw std::invalid_argument("unknown ballot `" + id +
                                "` (known: ppwp, pdpr, pdpd, pdprdp, pdprdk)");
  }
  return *b;
}

forms::Paper paper_arg(const std::string& name) {
  auto p = forms::parse_paper(name);
  if (!p) throw std::invalid_argument("unknown paper `" + name + "` (known: a4, a3)");
  return *p;
}

forms::FieldValues read_values(const std::string& path) {
  json::value doc;
  try {
    doc = json::parse(read_file_or_throw(path));
  } catch (const boost::system::system_error& e) {
    throw std::runtime_error(path + ": not JSON: " + e.what());
  }
  if (!doc.is_object()) throw std::runtime_error(path + ": must be an object of field -> number");
  forms::FieldValues values;
  for (const auto& [field, value] : doc.get_object()) {
    if (!value.is_int64() || value.get_int64() < 0 || value.get_int64() > 999) {
      throw std::runtime_error(path + ": field `" + std::string(field) +
                               "` must be a whole number from 0 to 999");
    }
    values.emplace(field, static_cast<std::uint32_t>(value.get_int64()));
  }
  return values;
}

void write_png(const cv::Mat& page, const std::string& path) {
  if (!cv::imwrite(path, page)) throw std::runtime_error("cannot write " + path);
  std::cout << "wrote " << path << "\n";
}

}  // namespace

int cmd_form_render(const FormRenderArgs& a) {
  Definition def = build_definition(read_named_files(a.def, kDefinitionFileNames));
  forms::Template t = forms::build_template(def, a.tps, ballot_arg(a.ballot), paper_arg(a.paper));
  forms::FieldValues values;
  if (!a.values.empty()) values = read_values(a.values);
  const forms::FieldValues* filled = a.values.empty() ? nullptr : &values;
  int pages = static_cast<int>(t.pages.size());
  if (a.page < 0 || a.page > pages) {
    throw std::invalid_argument("--page " + std::to_string(a.page) + ": the form has " +
                                std::to_string(pages) + " pages");
  }
  fs::path out(a.out);
  if (out.extension() == ".pdf") {
    if (a.page != 0) throw std::invalid_argument("--page is for PNG output; a PDF has every page");
    forms::render_pdf(t, filled, a.out);
    std::cout << "wrote " << a.out << " (" << pages << " pages, template " << t.id << ")\n";
    return 0;
  }
  if (out.extension() != ".png") throw std::invalid_argument("--out must end in .pdf or .png");
  if (a.page != 0 || pages == 1) {
    write_png(forms::render_page(t, a.page ? a.page - 1 : 0, a.px_per_mm, filled), a.out);
    return 0;
  }
  for (int i = 0; i < pages; ++i) {
    fs::path file = out;
    file.replace_filename(out.stem().string() + "-" + std::to_string(i + 1) + ".png");
    write_png(forms::render_page(t, i, a.px_per_mm, filled), file.string());
  }
  return 0;
}

int cmd_form_template(const FormTemplateArgs& a) {
  Definition def = build_definition(read_named_files(a.def, kDefinitionFileNames));
  forms::Paper paper = paper_arg(a.paper);
  if (a.all) {
    if (a.out.empty()) throw std::invalid_argument("--all needs --out DIR");
    if (!a.tps.empty() || !a.ballot.empty()) {
      throw std::invalid_argument("--all writes every contest's template; drop --tps and --ballot");
    }
    for (std::size_t c = 0; c < def.contests.size(); ++c) {
      forms::Template t = forms::build_contest_template(def, static_cast<int>(c), paper);
      write_file_atomically(fs::path(a.out) / (def.contests[c].id + ".json"),
                            forms::format_json(forms::template_to_json(t)));
    }
    std::cout << "wrote " << def.contests.size() << " contest templates to " << a.out << "\n";
    return 0;
  }
  if (a.tps.empty() || a.ballot.empty()) {
    throw std::invalid_argument("give --tps and --ballot, or --all --out DIR");
  }
  forms::Template t = forms::build_template(def, a.tps, ballot_arg(a.ballot), paper);
  std::string text = forms::format_json(forms::template_to_json(t));
  if (a.out.empty()) {
    std::cout << text;
  } else {
    write_file_atomically(a.out, text);
    std::cout << "wrote " << a.out << " (" << t.pages.size() << " pages, template " << t.id
              << ")\n";
  }
  return 0;
}

namespace {

// --paper, the same for a form and its template.
CLI::Option* add_paper(CLI::App& cmd, std::string& paper) {
  return cmd.add_option("--paper", paper, "a4 or a3")->capture_default_str();
}

void add_render(CLI::App& form, Action& action) {
  auto* cmd = form.add_subcommand(
      "render", "Draw a TPS's C1 form for a ballot as PDF or PNG, blank or filled in");
  FormRenderArgs& a = bind_action<FormRenderArgs>(*cmd, action, cmd_form_render);
  add_def(*cmd, a.def)->required();
  add_tps(*cmd, a.tps)->required();
  add_ballot(*cmd, a.ballot)->required();
  cmd->add_option("--out", a.out,
                  "F.pdf (every page) or F.png (F-<n>.png per page when there are several)")
      ->required();
  cmd->add_option("--values", a.values,
                  "JSON file {\"field\": number, ...} to fill the form in with");
  add_paper(*cmd, a.paper);
  cmd->add_option("--px-per-mm", a.px_per_mm, "PNG resolution")->capture_default_str();
  cmd->add_option("--page", a.page, "Only this page (1-based), for PNG");
}

void add_template(CLI::App& form, Action& action) {
  auto* cmd = form.add_subcommand(
      "template", "Write the template (JSON) of a TPS's form, or of every contest with --all");
  FormTemplateArgs& a = bind_action<FormTemplateArgs>(*cmd, action, cmd_form_template);
  add_def(*cmd, a.def)->required();
  add_tps(*cmd, a.tps);
  add_ballot(*cmd, a.ballot);
  cmd->add_option("--out", a.out,
                  "File to write (default: standard output); with --all, a directory that gets "
                  "<contest id>.json per contest");
  cmd->add_flag("--all", a.all, "Every contest's template (they are the same for all its TPS)");
  add_paper(*cmd, a.paper);
}

}  // namespace

void add_form_commands(CLI::App& app, Action& action) {
  auto* form = app.add_subcommand("form", "Printable C1 forms and their templates");
  form->require_subcommand(1);
  add_render(*form, action);
  add_template(*form, action);
}

}  // namespace rekap::cli
