// The reader on synthetic photographed forms: for each ballot, N forms written with held-out
// MNIST digits and photographed (sim/form_photo), read and decided; reports per-digit and
// per-field accuracy, the share accepted automatically, the wrong values accepted (must be 0),
// the wrong values a review would not point at, and forms per second per core (reading and
// deciding only; making the photos is not timed).
#include <time.h>

#include <atomic>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "core/definition.hpp"
#include "forms/template.hpp"
#include "ocr/form_assembly.hpp"
#include "sim/form_photo.hpp"
#include "sim/votes.hpp"
#include "util/files.hpp"

namespace {

using namespace rekap;

double thread_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

struct Tally {
  std::uint64_t forms = 0, pages = 0, refused_pages = 0, refused_forms = 0;
  std::uint64_t boxes = 0, boxes_right = 0;
  std::uint64_t fields = 0, digits_right = 0, bubbles_right = 0, fields_right = 0;
  std::uint64_t accepted = 0, accepted_wrong_values = 0, accepted_wrong_forms = 0;
  std::uint64_t review_fields = 0, review_wrong_unflagged = 0, review_wrong_values = 0;
  double read_seconds = 0;
  std::map<std::string, std::uint64_t> refusals;

  void add(const Tally& o) {
    forms += o.forms, pages += o.pages, refused_pages += o.refused_pages;
    refused_forms += o.refused_forms, boxes += o.boxes, boxes_right += o.boxes_right;
    fields += o.fields, digits_right += o.digits_right, bubbles_right += o.bubbles_right;
    fields_right += o.fields_right, accepted += o.accepted;
    accepted_wrong_values += o.accepted_wrong_values;
    accepted_wrong_forms += o.accepted_wrong_forms, review_fields += o.review_fields;
    review_wrong_unflagged += o.review_wrong_unflagged;
    review_wrong_values += o.review_wrong_values, read_seconds += o.read_seconds;
    for (const auto& [k, v] : o.refusals) refusals[k] += v;
  }
};

int symbol_written(const sim::WrittenField& w, int i) {
  return w.marks[i] == sim::BoxMark::digit ? w.digits[i] : ocr::kBlank;
}

Tally run_form(const Definition& def, const sim::VoteModel& votes, const sim::MnistDigits& mnist,
               ocr::PageReader& reader, int tps, Ballot b, std::uint64_t seed) {
  Tally t;
  const Contest& contest = def.contests[def.tps[tps].contest[int(b)]];
  std::vector<std::uint32_t> truth = votes.values(tps, b);
  forms::FieldValues values;
  for (std::size_t f = 0; f < truth.size(); ++f) values[contest.layout.fields[f].name] = truth[f];
  forms::Template tmpl = forms::build_template(def, def.tps[tps].code, b);
  std::mt19937_64 rng(seed);
  sim::PhotoStyle style;

  std::map<std::string, sim::WrittenField> written;
  std::vector<std::vector<std::uint8_t>> photos;
  for (std::size_t p = 0; p < tmpl.pages.size(); ++p) {
    sim::FilledPage filled = sim::fill_page(tmpl, int(p), values, mnist, rng, style);
    for (auto& w : filled.fields) written[w.field] = w;
    photos.push_back(sim::to_jpeg(sim::photograph(filled.page, rng, style), rng));
  }

  t.forms = 1;
  double start = thread_seconds();
  std::vector<ocr::PageRead> pages;
  bool refused = false;
  for (const auto& jpeg : photos) {
    ++t.pages;
    try {
      cv::Mat img = cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE);
      pages.push_back(reader.read(img));
    } catch (const ocr::ReadError& e) {
      ++t.refused_pages;
      ++t.refusals[std::string(ocr::kind_name(e.kind())) + ": " + e.what()];
      refused = true;
    }
  }
  if (refused) {
    t.read_seconds = thread_seconds() - start;
    t.refused_forms = 1;
    return t;
  }
  ocr::FormRead form = ocr::decide_form(def, std::move(pages));
  t.read_seconds = thread_seconds() - start;

  const ocr::FormDecision& d = form.decision;
  t.accepted = d.accepted ? 1 : 0;
  std::uint64_t wrong = 0;
  for (std::size_t f = 0; f < truth.size(); ++f) {
    const ocr::FieldRead& r = form.field(f);
    const sim::WrittenField& w = written.at(contest.layout.fields[f].name);
    for (int i = 0; i < 3; ++i) {
      ++t.boxes;
      const ocr::SymbolProbs& p = r.box[i];
      int argmax = int(std::max_element(p.begin(), p.end()) - p.begin());
      t.boxes_right += argmax == symbol_written(w, i) ? 1 : 0;
    }
    ++t.fields;
    t.digits_right += std::uint32_t(r.digits.value) == truth[f] ? 1 : 0;
    t.bubbles_right += std::uint32_t(r.marks.value) == truth[f] ? 1 : 0;
    bool right = d.values[f] == truth[f];
    t.fields_right += right ? 1 : 0;
    wrong += right ? 0 : 1;
    if (!d.accepted) {
      t.review_fields += d.review[f] ? 1 : 0;
      if (!right) {
        ++t.review_wrong_values;
        t.review_wrong_unflagged += d.review[f] ? 0 : 1;
      }
    }
  }
  if (d.accepted) {
    t.accepted_wrong_values = wrong;
    t.accepted_wrong_forms = wrong > 0 ? 1 : 0;
  }
  return t;
}

double pct(std::uint64_t a, std::uint64_t b) {
  return b == 0 ? 0.0 : 100.0 * double(a) / double(b);
}

boost::json::object report(const std::string& name, const Tally& t) {
  boost::json::object o;
  o["ballot"] = name;
  o["forms"] = t.forms;
  o["pages"] = t.pages;
  o["fields"] = t.fields;
  o["refused_forms"] = t.refused_forms;
  o["digit_box_accuracy_pct"] = pct(t.boxes_right, t.boxes);
  o["field_accuracy_digits_alone_pct"] = pct(t.digits_right, t.fields);
  o["field_accuracy_bubbles_alone_pct"] = pct(t.bubbles_right, t.fields);
  o["field_accuracy_decided_pct"] = pct(t.fields_right, t.fields);
  o["accepted_pct"] = pct(t.accepted, t.forms);
  o["accepted_wrong_values"] = t.accepted_wrong_values;
  o["accepted_wrong_forms"] = t.accepted_wrong_forms;
  o["review_fields_flagged"] = t.review_fields;
  o["review_wrong_values"] = t.review_wrong_values;
  o["review_wrong_not_flagged"] = t.review_wrong_unflagged;
  o["read_cpu_seconds"] = t.read_seconds;
  o["forms_per_second_per_core"] = t.read_seconds > 0 ? double(t.forms) / t.read_seconds : 0.0;
  o["pages_per_second_per_core"] = t.read_seconds > 0 ? double(t.pages) / t.read_seconds : 0.0;
  boost::json::object refusals;
  for (const auto& [k, v] : t.refusals) refusals[k] = v;
  o["refusals"] = refusals;
  return o;
}

void print(const Tally& t, const std::string& name) {
  std::printf(
      "%-7s forms %5llu (%.1f pages, %.0f fields each)  digits %6.2f%%  fields: digits %6.2f%% "
      "bubbles %6.2f%% decided %6.2f%%  "
      "accepted %6.2f%%  wrong accepted %llu  review: flagged %llu, wrong %llu (unflagged %llu)  "
      "refused %llu  %.2f forms/s/core\n",
      name.c_str(), (unsigned long long)t.forms,
      double(t.pages) / double(std::max<std::uint64_t>(1, t.forms)),
      double(t.fields) / double(std::max<std::uint64_t>(1, t.forms)), pct(t.boxes_right, t.boxes),
      pct(t.digits_right, t.fields), pct(t.bubbles_right, t.fields), pct(t.fields_right, t.fields),
      pct(t.accepted, t.forms), (unsigned long long)t.accepted_wrong_values,
      (unsigned long long)t.review_fields, (unsigned long long)t.review_wrong_values,
      (unsigned long long)t.review_wrong_unflagged, (unsigned long long)t.refused_forms,
      t.read_seconds > 0 ? double(t.forms) / t.read_seconds : 0.0);
  std::fflush(stdout);
}

// The digit model on the MNIST test split, through the reader's own inference path (OpenCV
// dnn). Reporting only: nothing is tuned on it.
boost::json::object mnist_test(const std::string& dir, const std::string& model_path) {
  std::vector<sim::MnistImage> test = sim::read_mnist(dir, "t10k", 0, 10000);
  ocr::DigitModel model(model_path);
  std::uint64_t right10 = 0, right11 = 0;
  for (std::size_t start = 0; start < test.size(); start += 500) {
    std::vector<cv::Mat> batch;
    for (std::size_t i = start; i < std::min(test.size(), start + 500); ++i) {
      cv::Mat f;
      test[i].image.convertTo(f, CV_32F, 1.0 / 255);
      batch.push_back(f);
    }
    std::vector<ocr::SymbolProbs> probs = model.classify(batch);
    for (std::size_t k = 0; k < probs.size(); ++k) {
      const ocr::SymbolProbs& p = probs[k];
      int label = test[start + k].label;
      right11 += std::max_element(p.begin(), p.end()) - p.begin() == label ? 1 : 0;
      right10 += std::max_element(p.begin(), p.begin() + 10) - p.begin() == label ? 1 : 0;
    }
  }
  double n = double(test.size());
  std::printf(
      "MNIST test split (%zu images): accuracy %.2f%% (argmax over 11 classes), %.2f%% "
      "(over the 10 digits)\n",
      test.size(), 100.0 * double(right11) / n, 100.0 * double(right10) / n);
  return {{"mnist_test_images", test.size()},
          {"mnist_test_accuracy_pct", 100.0 * double(right11) / n},
          {"mnist_test_accuracy_digits_only_pct", 100.0 * double(right10) / n}};
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"rekap OCR benchmark on synthetic photographed forms"};
  std::string def_dir, model, mnist_dir, json_out;
  int forms = 1000;
  int threads = 2;
  std::uint64_t seed = 1;
  std::vector<std::string> ballots = {"ppwp", "pdpr", "pdpd", "pdprdp", "pdprdk"};
  app.add_option("--def", def_dir, "Definition directory")->required();
  app.add_option("--forms", forms, "Forms per ballot")->capture_default_str();
  app.add_option("--threads", threads, "Reader threads")->capture_default_str();
  app.add_option("--seed", seed, "Seed")->capture_default_str();
  app.add_option("--ballots", ballots, "Ballots to run");
  app.add_option("--model", model, "Digit model");
  app.add_option("--mnist", mnist_dir, "MNIST IDX directory");
  app.add_option("--json", json_out, "Write the results as JSON here");
  bool test_split = false;
  app.add_flag("--mnist-test", test_split, "Also report the digit model on the MNIST test split");
  CLI11_PARSE(app, argc, argv);

  Definition def = build_definition(read_named_files(def_dir, kDefinitionFileNames));
  sim::VoteModel votes(def, seed);
  sim::MnistDigits mnist(mnist_dir.empty() ? sim::default_mnist_dir() : mnist_dir);
  if (model.empty()) model = ocr::default_model_path();

  boost::json::array results;
  Tally all;
  for (const std::string& id : ballots) {
    std::optional<Ballot> b = parse_ballot(id);
    if (!b) {
      std::cerr << "unknown ballot " << id << "\n";
      return 2;
    }
    std::vector<int> tps;
    for (std::size_t i = 0; i < def.tps.size(); ++i) {
      if (def.tps[i].contest[int(*b)] >= 0) tps.push_back(int(i));
    }
    std::atomic<int> next{0};
    std::mutex mu;
    Tally total;
    std::vector<std::thread> pool;
    for (int w = 0; w < threads; ++w) {
      pool.emplace_back([&] {
        ocr::PageReader reader(def, model);
        Tally mine;
        for (int k = next++; k < forms; k = next++) {
          int t = tps[std::size_t(k) % tps.size()];
          mine.add(run_form(def, votes, mnist, reader, t, *b, seed * 1000003 + std::uint64_t(k)));
        }
        std::lock_guard lock(mu);
        total.add(mine);
      });
    }
    for (auto& th : pool) th.join();
    print(total, id);
    results.push_back(report(id, total));
    all.add(total);
  }
  print(all, "all");
  results.push_back(report("all", all));
  if (test_split) {
    results.push_back(mnist_test(mnist_dir.empty() ? sim::default_mnist_dir() : mnist_dir, model));
  }
  if (!json_out.empty()) {
    std::FILE* f = std::fopen(json_out.c_str(), "w");
    if (!f) {
      std::cerr << "cannot write " << json_out << "\n";
      return 1;
    }
    std::string s = boost::json::serialize(results);
    std::fwrite(s.data(), 1, s.size(), f);
    std::fclose(f);
  }
  return all.accepted_wrong_values == 0 ? 0 : 1;
}
