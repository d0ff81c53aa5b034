#pragma once
// Turning the pixels of one digit box or bubble column on a rectified page into numbers: the
// digit model's input and the bubbles' dark shares. The page is rectified at kPxPerMm.
#include <opencv2/core.hpp>

#include "forms/template.hpp"
#include "ocr/evidence.hpp"

namespace rekap::ocr {

inline constexpr double kPxPerMm = 10.0;
// The box outline is cut off: the crop is the box inset by this much on each side.
inline constexpr double kBoxInsetMm = 0.6;

// The page rectangle in rectified pixels, clipped to the image.
cv::Rect page_pixels(const forms::Rect& r, const cv::Size& image);

// The model's input for one box crop (grayscale, any size): ink in [0,1] against the crop's own
// paper level, padded to a square and shrunk to 28 x 28 (models/README.md).
cv::Mat digit_input(const cv::Mat& crop);

// The dark share of each bubble of a position's column: the part of the inner disc darker than
// about half the local paper level. `paper` is the paper level around the field.
BubbleFill bubble_fill(const cv::Mat& page, const std::array<forms::Point, 10>& centres,
                       double radius_mm, double paper);

// The paper level of a region: a high percentile of its pixels.
double paper_level(const cv::Mat& region);

}  // namespace rekap::ocr
