#include "sim/ocr_officer.hpp"

#include <random>

#include <opencv2/imgcodecs.hpp>

#include "forms/template.hpp"
#include "ocr/form_assembly.hpp"
#include "sim/form_photo.hpp"

namespace rekap::sim {

namespace {
constexpr int kMaxPhotos = 3;  // per page, before the officer gives up and types the numbers
}

OcrOfficer::OcrOfficer(const Definition& def, const std::string& model_path,
                       const std::string& mnist_dir)
    : def_(def), model_path_(model_path), digits_(mnist_dir) {
  give_back(take_reader());  // fails early on a missing model
}

OcrOfficer::~OcrOfficer() = default;

std::unique_ptr<ocr::PageReader> OcrOfficer::take_reader() const {
  {
    std::lock_guard lock(mutex_);
    if (!readers_.empty()) {
      auto r = std::move(readers_.back());
      readers_.pop_back();
      return r;
    }
  }
  return std::make_unique<ocr::PageReader>(def_, model_path_);
}

void OcrOfficer::give_back(std::unique_ptr<ocr::PageReader> r) const {
  std::lock_guard lock(mutex_);
  readers_.push_back(std::move(r));
}

OfficerForm OcrOfficer::fill_in(int tps, Ballot b, const std::vector<std::uint32_t>& truth,
                                std::uint64_t seed) const {
  const FormLayout& layout = def_.contests[def_.tps[tps].contest[int(b)]].layout;
  forms::Template t = forms::build_template(def_, def_.tps[tps].code, b);
  forms::FieldValues values;
  for (std::size_t f = 0; f < truth.size(); ++f) values[layout.fields[f].name] = truth[f];
  std::mt19937_64 rng(seed);
  PhotoStyle style;

  OfficerForm out;
  auto reader = take_reader();
  std::vector<ocr::PageRead> pages;
  for (std::size_t p = 0; p < t.pages.size() && !out.typed; ++p) {
    FilledPage filled = fill_page(t, int(p), values, digits_, rng, style);
    for (int attempt = 1;; ++attempt) {
      std::vector<std::uint8_t> jpeg = to_jpeg(photograph(filled.page, rng, style), rng);
      try {
        pages.push_back(reader->read(cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE)));
        out.photos.push_back(std::move(jpeg));
        break;
      } catch (const ocr::ReadError&) {
        if (attempt == kMaxPhotos) {
          out.typed = true;
          break;
        }
        ++out.retakes;
      }
    }
  }
  give_back(std::move(reader));
  if (out.typed) {
    out.values = truth;
    return out;
  }
  ocr::FormRead form = ocr::decide_form(def_, std::move(pages));
  const ocr::FormDecision& d = form.decision;
  out.accepted = d.accepted;
  out.values = d.values;
  for (std::size_t f = 0; f < truth.size(); ++f) {
    bool wrong = out.values[f] != truth[f];
    if (d.accepted) {
      out.wrong_accepted += wrong ? 1 : 0;
    } else if (d.review[f]) {
      // The officer looks at the paper beside the highlighted crop and types what it says.
      ++out.reviewed_fields;
      out.corrected_fields += wrong ? 1 : 0;
      out.values[f] = truth[f];
    } else {
      out.wrong_unflagged += wrong ? 1 : 0;
    }
  }
  return out;
}

}  // namespace rekap::sim
