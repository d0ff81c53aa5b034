#pragma once
// Synthetic C1 photos, for tests, the OCR benchmark and the simulator: a rendered form filled
// in with handwritten MNIST digits and pen-marked bubbles (sometimes imperfectly, sometimes
// contradicting the digits), then "photographed": perspective, rotation, blur, noise, shadows,
// uneven light and JPEG.
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "forms/render.hpp"
#include "forms/template.hpp"
#include "sim/mnist.hpp"

namespace rekap::sim {

struct PhotoStyle {
  double max_rotation_deg = 15;
  double imperfect_bubble = 0.04;      // share of positions whose bubble is only partly filled
  double contradicting_bubble = 0.01;  // share of positions whose bubble says another digit
  double skipped_bubbles = 0.02;       // share of fields whose bubbles were left empty
  double max_blur_px = 1.2;
  bool camera = true;  // false: the filled page itself, no photo effects
};

// What the officer wrote in one box: a digit, or for a leading zero an X, nothing, or a 0.
enum class BoxMark { digit, cross, empty };

struct WrittenField {
  std::string field;
  std::uint32_t value = 0;
  std::array<BoxMark, 3> marks{};
  std::array<int, 3> digits{};  // the digit written where marks[i] == digit
};

struct FilledPage {
  cv::Mat page;  // rectified at 10 px/mm, CV_8UC1
  std::vector<WrittenField> fields;
};

// Page `page_index` of a TPS's form filled in by hand with `values` (every field of the page).
FilledPage fill_page(const forms::Template& t, int page_index, const forms::FieldValues& values,
                     const MnistDigits& digits, std::mt19937_64& rng, const PhotoStyle& style);

// A phone photo of a filled page (grayscale).
cv::Mat photograph(const cv::Mat& page, std::mt19937_64& rng, const PhotoStyle& style);

// JPEG bytes of an image at a random phone-like quality (or `quality` when > 0).
std::vector<std::uint8_t> to_jpeg(const cv::Mat& image, std::mt19937_64& rng, int quality = 0);

}  // namespace rekap::sim
