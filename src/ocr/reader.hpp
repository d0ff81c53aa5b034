#pragma once
// The form reader: a photo of a C1 page in, for every field its two readings (digit boxes and
// bubbles) with their evidence and where it is in the photo. A form's pages are put together
// and decided in ocr/form_assembly.
#include <array>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "core/definition.hpp"
#include "forms/template.hpp"
#include "ocr/digit_model.hpp"
#include "ocr/evidence.hpp"
#include "ocr/rectify.hpp"

namespace rekap::ocr {

// Why a photo was refused. The message says what is wrong in words for the person holding it.
class ReadError : public std::runtime_error {
 public:
  enum class Kind { not_a_form, wrong_form, wrong_page, too_blurred, unreadable, too_large };
  ReadError(Kind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};
std::string_view kind_name(ReadError::Kind k);

struct FieldRead {
  int field = -1;                         // index in the contest's layout
  std::array<SymbolProbs, 3> box{};       // digit model, per position
  std::array<BubbleFill, 3> bubbles{};    // dark share of each bubble, per position
  Reading digits;                         // the boxes alone
  Reading marks;                          // the bubbles alone
  forms::Rect crop;                       // boxes and bubbles, page millimetres
  std::array<cv::Point2f, 4> photo_quad;  // the crop's corners in the photo (pixels)
  FieldCosts costs() const;               // both readings combined
};

struct PageRead {
  forms::QrPayload qr;
  int contest = -1;
  double blur_mm = 0;
  double fit_error_mm = 0;
  std::vector<FieldRead> fields;  // in the page's order
};

struct ReadLimits {
  double max_blur_mm = 0.45;      // softer than this and digits blur into each other
  double max_fit_error_mm = 1.5;  // markers that do not fit: folded paper or not our page
};

// Reads pages of the forms of one election. Not thread-safe (one per thread).
class PageReader {
 public:
  PageReader(const Definition& def, const std::string& model_path, ReadLimits limits = {});
  // Throws ReadError with the reason when the photo cannot be read.
  PageRead read(const cv::Mat& photo_gray);
  // The template placements of a contest (cached).
  const forms::Template& contest_template(int contest, forms::Paper paper);

 private:
  std::optional<std::string> qr_on_page(const cv::Mat& photo,
                                        const std::vector<FoundMarker>& markers, double& blur);

  const Definition& def_;
  DigitModel model_;
  ReadLimits limits_;
  std::map<std::pair<int, forms::Paper>, forms::Template> templates_;
};

}  // namespace rekap::ocr
