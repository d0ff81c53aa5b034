#include "ocr/box_image.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

namespace rekap::ocr {

namespace {

// The share of a bubble's radius measured: the printed outline stays outside it.
constexpr double kInnerDisc = 0.72;
// A pixel is ink when darker than this share of the paper level.
constexpr double kInkLevel = 0.6;

// The q-quantile with linear interpolation between ranks (as numpy.percentile, which the digit
// model's training used), from a histogram.
double percentile(const cv::Mat& gray, double q) {
  std::array<std::size_t, 256> hist{};
  for (int y = 0; y < gray.rows; ++y) {
    const auto* row = gray.ptr<std::uint8_t>(y);
    for (int x = 0; x < gray.cols; ++x) ++hist[row[x]];
  }
  std::size_t n = gray.total();
  if (n == 0) return 255;
  double pos = q * double(n - 1);
  auto rank = std::size_t(pos);
  auto value_at = [&](std::size_t r) {
    std::size_t seen = 0;
    for (int v = 0; v < 256; ++v) {
      seen += hist[v];
      if (seen > r) return double(v);
    }
    return 255.0;
  };
  double lo = value_at(rank);
  double hi = rank + 1 < n ? value_at(rank + 1) : lo;
  return lo + (hi - lo) * (pos - double(rank));
}

}  // namespace

cv::Rect page_pixels(const forms::Rect& r, const cv::Size& image) {
  cv::Rect px(
      static_cast<int>(std::lround(r.x * kPxPerMm)), static_cast<int>(std::lround(r.y * kPxPerMm)),
      static_cast<int>(std::lround(r.w * kPxPerMm)), static_cast<int>(std::lround(r.h * kPxPerMm)));
  return px & cv::Rect(0, 0, image.width, image.height);
}

double paper_level(const cv::Mat& region) {
  return region.empty() ? 255.0 : percentile(region, 0.9);
}

cv::Mat digit_input(const cv::Mat& crop) {
  cv::Mat out = cv::Mat::zeros(28, 28, CV_32F);
  if (crop.empty()) return out;
  double bg = percentile(crop, 0.9);
  double scale = std::max(0.5 * bg, 30.0);
  int side = std::max(crop.cols, crop.rows);
  cv::Mat square = cv::Mat::zeros(side, side, CV_32F);
  int left = (side - crop.cols) / 2;
  int top = (side - crop.rows) / 2;
  for (int y = 0; y < crop.rows; ++y) {
    const auto* in = crop.ptr<std::uint8_t>(y);
    auto* o = square.ptr<float>(y + top) + left;
    for (int x = 0; x < crop.cols; ++x) {
      double ink = ((bg - in[x]) / scale - 0.1) / 0.9;
      o[x] = static_cast<float>(std::clamp(ink, 0.0, 1.0));
    }
  }
  cv::resize(square, out, cv::Size(28, 28), 0, 0, cv::INTER_AREA);
  return out;
}

BubbleFill bubble_fill(const cv::Mat& page, const std::array<forms::Point, 10>& centres,
                       double radius_mm, double paper) {
  BubbleFill fill{};
  double r = radius_mm * kInnerDisc * kPxPerMm;
  double threshold = paper * kInkLevel;
  for (int d = 0; d < 10; ++d) {
    double cx = centres[d].x * kPxPerMm;
    double cy = centres[d].y * kPxPerMm;
    int x0 = std::max(0, int(std::floor(cx - r)));
    int x1 = std::min(page.cols - 1, int(std::ceil(cx + r)));
    int y0 = std::max(0, int(std::floor(cy - r)));
    int y1 = std::min(page.rows - 1, int(std::ceil(cy + r)));
    int inside = 0;
    int dark = 0;
    for (int y = y0; y <= y1; ++y) {
      const auto* row = page.ptr<std::uint8_t>(y);
      for (int x = x0; x <= x1; ++x) {
        double dx = x - cx;
        double dy = y - cy;
        if (dx * dx + dy * dy > r * r) continue;
        ++inside;
        dark += row[x] < threshold ? 1 : 0;
      }
    }
    fill[d] = inside > 0 ? double(dark) / inside : 0.0;
  }
  return fill;
}

}  // namespace rekap::ocr
