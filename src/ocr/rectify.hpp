#pragma once
// From a photo to the page: find the four corner markers (ArUco DICT_4X4_50, ids 0..3), fit the
// perspective that maps them onto their places in the template, and resample the page at
// kPxPerMm. Also estimates how blurred the page is from the sharpness of the markers' edges.
#include <array>
#include <optional>
#include <vector>

#include <opencv2/core.hpp>

#include "forms/template.hpp"

namespace rekap::ocr {

struct FoundMarker {
  int id = 0;
  std::array<cv::Point2f, 4> corners;  // top-left, top-right, bottom-right, bottom-left
};

// Markers with ids 0..3 in a grayscale photo, each at most once. Large photos are searched at a
// reduced size and the corners refined at full size.
std::vector<FoundMarker> find_markers(const cv::Mat& gray);

struct PageFit {
  cv::Matx33d photo_to_page;  // photo pixels -> rectified page pixels (kPxPerMm)
  double max_error_mm = 0;    // worst marker corner after the fit
};

// The perspective that maps the markers found onto the template page's markers; nullopt when
// fewer than three markers are known.
std::optional<PageFit> fit_page(const std::vector<FoundMarker>& found, const forms::Page& page);

// The page resampled at kPxPerMm (white outside the photo).
cv::Mat rectify(const cv::Mat& gray, const PageFit& fit, double width_mm, double height_mm);

// The blur of a rectified page in millimetres (the width of a Gaussian that would soften a sharp
// edge as much as the markers' edges are softened).
double blur_mm(const cv::Mat& rectified, const forms::Page& page);

// How much fine detail a whole photo has (variance of the Laplacian at about 1000 pixels on the
// long side): tells a photo too blurred to find anything in from one of something else.
double photo_detail(const cv::Mat& gray);

// A page point in the photo's pixels.
cv::Point2f page_to_photo(const PageFit& fit, forms::Point mm);

}  // namespace rekap::ocr
