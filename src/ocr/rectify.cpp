#include "ocr/rectify.hpp"

#include <algorithm>
#include <cmath>

#include <opencv2/aruco.hpp>
#include <opencv2/calib3d.hpp>
#include <opencv2/imgproc.hpp>

#include "ocr/box_image.hpp"

namespace rekap::ocr {

namespace {

// Photos larger than this (long side, pixels) are searched for markers at this size.
constexpr int kSearchSide = 1800;

std::array<forms::Point, 4> square_corners(const forms::Rect& r) {
  return {{{r.x, r.y}, {r.x + r.w, r.y}, {r.x + r.w, r.y + r.h}, {r.x, r.y + r.h}}};
}

}  // namespace

std::vector<FoundMarker> find_markers(const cv::Mat& gray) {
  double scale = 1.0;
  cv::Mat search = gray;
  int side = std::max(gray.cols, gray.rows);
  if (side > kSearchSide) {
    scale = double(kSearchSide) / side;
    cv::resize(gray, search, cv::Size(), scale, scale, cv::INTER_AREA);
  }
  auto dictionary = cv::aruco::getPredefinedDictionary(cv::aruco::DICT_4X4_50);
  auto params = cv::aruco::DetectorParameters::create();
  std::vector<std::vector<cv::Point2f>> corners;
  std::vector<int> ids;
  cv::aruco::detectMarkers(search, dictionary, corners, ids, params);

  std::vector<FoundMarker> out;
  std::array<bool, 4> seen{};
  for (std::size_t i = 0; i < ids.size(); ++i) {
    int id = ids[i];
    if (id < 0 || id > 3 || seen[id]) continue;
    seen[id] = true;
    FoundMarker m{id, {}};
    std::vector<cv::Point2f> pts;
    for (int k = 0; k < 4; ++k) pts.push_back(corners[i][k] * (1.0 / scale));
    if (scale < 1.0) {
      int window = std::max(2, int(std::lround(2.0 / scale)));
      cv::cornerSubPix(gray, pts, cv::Size(window, window), cv::Size(-1, -1),
                       cv::TermCriteria(cv::TermCriteria::EPS + cv::TermCriteria::COUNT, 30, 0.01));
    }
    for (int k = 0; k < 4; ++k) m.corners[k] = pts[k];
    out.push_back(m);
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

std::optional<PageFit> fit_page(const std::vector<FoundMarker>& found, const forms::Page& page) {
  if (found.size() < 3) return std::nullopt;
  std::vector<cv::Point2f> photo;
  std::vector<cv::Point2f> target;
  for (const FoundMarker& m : found) {
    auto mm = square_corners(page.markers[m.id].square);
    for (int k = 0; k < 4; ++k) {
      photo.push_back(m.corners[k]);
      target.emplace_back(float(mm[k].x * kPxPerMm), float(mm[k].y * kPxPerMm));
    }
  }
  cv::Mat h = cv::findHomography(photo, target, 0);
  if (h.empty()) return std::nullopt;
  PageFit fit{cv::Matx33d(h), 0};
  std::vector<cv::Point2f> mapped;
  cv::perspectiveTransform(photo, mapped, h);
  for (std::size_t i = 0; i < mapped.size(); ++i) {
    fit.max_error_mm = std::max(fit.max_error_mm, cv::norm(mapped[i] - target[i]) / kPxPerMm);
  }
  return fit;
}

cv::Mat rectify(const cv::Mat& gray, const PageFit& fit, double width_mm, double height_mm) {
  cv::Mat page;
  cv::Size size(int(std::lround(width_mm * kPxPerMm)), int(std::lround(height_mm * kPxPerMm)));
  cv::warpPerspective(gray, page, cv::Mat(fit.photo_to_page), size, cv::INTER_LINEAR,
                      cv::BORDER_CONSTANT, cv::Scalar(255));
  return page;
}

double blur_mm(const cv::Mat& rectified, const forms::Page& page) {
  // A step of height C blurred by a Gaussian of width s has a steepest slope of C / (s sqrt(2 pi)).
  std::vector<double> widths;
  for (const forms::Marker& m : page.markers) {
    forms::Rect r = m.square;
    cv::Rect px = page_pixels({r.x - 1, r.y - 1, r.w + 2, r.h + 2}, rectified.size());
    if (px.area() <= 0) continue;
    cv::Mat roi = rectified(px);
    cv::Mat f;
    roi.convertTo(f, CV_32F);
    cv::GaussianBlur(f, f, cv::Size(3, 3), 0.5);
    cv::Mat gx, gy, mag;
    cv::Sobel(f, gx, CV_32F, 1, 0, 3, 1.0 / 8);
    cv::Sobel(f, gy, CV_32F, 0, 1, 3, 1.0 / 8);
    cv::magnitude(gx, gy, mag);
    double lo = 0, hi = 0;
    cv::minMaxLoc(roi, &lo, &hi);
    std::vector<float> g(mag.begin<float>(), mag.end<float>());
    std::nth_element(g.begin(), g.begin() + g.size() * 99 / 100, g.end());
    double slope = g[g.size() * 99 / 100];
    if (slope <= 0 || hi - lo < 40) continue;
    double sigma_px = (hi - lo) / (slope * std::sqrt(2 * M_PI));
    widths.push_back(sigma_px / kPxPerMm);
  }
  if (widths.empty()) return 99.0;
  std::sort(widths.begin(), widths.end());
  return widths[widths.size() / 2];
}

double photo_detail(const cv::Mat& gray) {
  cv::Mat small = gray;
  int side = std::max(gray.cols, gray.rows);
  if (side > 1000) {
    double s = 1000.0 / side;
    cv::resize(gray, small, cv::Size(), s, s, cv::INTER_AREA);
  }
  cv::Mat lap;
  cv::Laplacian(small, lap, CV_32F);
  cv::Scalar mean, dev;
  cv::meanStdDev(lap, mean, dev);
  return dev[0] * dev[0];
}

cv::Point2f page_to_photo(const PageFit& fit, forms::Point mm) {
  cv::Matx33d inv = fit.photo_to_page.inv();
  cv::Vec3d p = inv * cv::Vec3d(mm.x * kPxPerMm, mm.y * kPxPerMm, 1.0);
  return {float(p[0] / p[2]), float(p[1] / p[2])};
}

}  // namespace rekap::ocr
