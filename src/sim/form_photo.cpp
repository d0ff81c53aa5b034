#include "sim/form_photo.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

namespace rekap::sim {

namespace {

constexpr double kPxPerMm = 10.0;

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}
bool chance(std::mt19937_64& rng, double p) {
  return uniform(rng, 0, 1) < p;
}

// Lays ink (0..1, CV_32F, page-sized) onto the page in the pen's gray.
void lay_ink(cv::Mat& page, const cv::Mat& ink, double pen) {
  for (int y = 0; y < page.rows; ++y) {
    auto* p = page.ptr<std::uint8_t>(y);
    const float* k = ink.ptr<float>(y);
    for (int x = 0; x < page.cols; ++x) {
      if (k[x] <= 0) continue;
      double a = std::min(1.0f, k[x]);
      p[x] = cv::saturate_cast<std::uint8_t>(p[x] * (1 - a) + pen * a);
    }
  }
}

// One MNIST digit written into a box: scaled to a pen-like height, slanted, nudged off centre.
void write_digit(cv::Mat& ink, const forms::Rect& box, const cv::Mat& mnist, std::mt19937_64& rng) {
  cv::Rect bounds = cv::boundingRect(mnist > 40);
  if (bounds.area() == 0) return;
  cv::Mat digit;
  mnist(bounds).convertTo(digit, CV_32F, 1.0 / 255);
  double height_px = uniform(rng, 5.8, 8.2) * kPxPerMm;
  double scale = height_px / bounds.height;
  double slant = uniform(rng, -0.22, 0.22);
  cv::Point2d centre(box.center().x * kPxPerMm + uniform(rng, -0.7, 0.7) * kPxPerMm,
                     box.center().y * kPxPerMm + uniform(rng, -0.5, 0.5) * kPxPerMm);
  // Maps the digit's pixels onto the page around the box: scale, shear about the digit's
  // centre, translate. Only the box's neighbourhood is drawn.
  cv::Rect area = cv::Rect(int((box.x - 4) * kPxPerMm), int((box.y - 4) * kPxPerMm),
                           int((box.w + 8) * kPxPerMm), int((box.h + 8) * kPxPerMm)) &
                  cv::Rect(0, 0, ink.cols, ink.rows);
  double cx = bounds.width / 2.0;
  double cy = bounds.height / 2.0;
  cv::Matx23d m(scale, slant * scale, centre.x - area.x - scale * cx - slant * scale * cy, 0, scale,
                centre.y - area.y - scale * cy);
  cv::Mat placed;
  cv::warpAffine(digit, placed, cv::Mat(m), area.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, 0);
  if (chance(rng, 0.4)) {
    int k = chance(rng, 0.5) ? 3 : 5;
    cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(k, k));
    if (chance(rng, 0.5)) {
      cv::erode(placed, placed, kernel);
    } else {
      cv::dilate(placed, placed, kernel);
    }
  }
  cv::Mat target = ink(area);
  cv::max(target, placed, target);
}

void write_cross(cv::Mat& ink, const forms::Rect& box, std::mt19937_64& rng) {
  auto at = [&](double fx, double fy) {
    return cv::Point(int((box.x + box.w * (fx + uniform(rng, -0.08, 0.08))) * kPxPerMm),
                     int((box.y + box.h * (fy + uniform(rng, -0.06, 0.06))) * kPxPerMm));
  };
  int thick = int(uniform(rng, 4, 7));
  cv::line(ink, at(0.2, 0.2), at(0.8, 0.8), 1.0, thick, cv::LINE_AA);
  cv::line(ink, at(0.8, 0.2), at(0.2, 0.8), 1.0, thick, cv::LINE_AA);
}

void fill_bubble(cv::Mat& ink, forms::Point c, double r, double coverage, std::mt19937_64& rng) {
  cv::Point2f centre(float((c.x + uniform(rng, -0.25, 0.25)) * kPxPerMm),
                     float((c.y + uniform(rng, -0.25, 0.25)) * kPxPerMm));
  double rx = r * kPxPerMm * coverage * uniform(rng, 0.9, 1.1);
  double ry = r * kPxPerMm * coverage * uniform(rng, 0.9, 1.1);
  cv::ellipse(ink,
              cv::RotatedRect(centre, cv::Size2f(float(2 * rx), float(2 * ry)),
                              float(uniform(rng, 0, 180))),
              1.0, cv::FILLED, cv::LINE_AA);
}

}  // namespace

FilledPage fill_page(const forms::Template& t, int page_index, const forms::FieldValues& values,
                     const MnistDigits& digits, std::mt19937_64& rng, const PhotoStyle& style) {
  FilledPage out;
  out.page = forms::render_page(t, page_index, kPxPerMm, nullptr);
  cv::Mat ink = cv::Mat::zeros(out.page.size(), CV_32F);
  // One officer fills the whole form: one habit for leading zeros.
  double habit = uniform(rng, 0, 1);
  BoxMark leading = habit < 0.65 ? BoxMark::cross : habit < 0.85 ? BoxMark::empty : BoxMark::digit;
  bool zero_bubble = chance(rng, 0.85);
  for (const forms::FieldPlacement& f : t.pages.at(page_index).fields) {
    auto it = values.find(f.field);
    if (it == values.end()) throw std::invalid_argument("no value for field " + f.field);
    if (it->second > 999) throw std::invalid_argument("value over 999 for field " + f.field);
    WrittenField w{f.field, it->second, {}, {}};
    int v = int(it->second);
    std::array<int, 3> d = {v / 100, v / 10 % 10, v % 10};
    bool skip_bubbles = chance(rng, style.skipped_bubbles);
    bool lead = true;
    for (int i = 0; i < 3; ++i) {
      lead = lead && d[i] == 0 && i < 2;
      w.digits[i] = d[i];
      w.marks[i] = lead ? leading : BoxMark::digit;
      if (w.marks[i] == BoxMark::digit) {
        write_digit(ink, f.boxes[i], digits.sample(d[i], rng), rng);
      } else if (w.marks[i] == BoxMark::cross) {
        write_cross(ink, f.boxes[i], rng);
      }
      if (skip_bubbles || (lead && !zero_bubble)) continue;
      int bubble = d[i];
      if (chance(rng, style.contradicting_bubble)) {
        bubble = (d[i] + 1 + int(uniform(rng, 0, 8.99))) % 10;
      }
      double coverage =
          chance(rng, style.imperfect_bubble) ? uniform(rng, 0.45, 0.62) : uniform(rng, 0.8, 1.05);
      fill_bubble(ink, f.bubbles[i][bubble], f.bubble_radius, coverage, rng);
    }
    out.fields.push_back(w);
  }
  cv::GaussianBlur(ink, ink, cv::Size(3, 3), 0.6);
  lay_ink(out.page, ink, uniform(rng, 15, 85));
  return out;
}

cv::Mat photograph(const cv::Mat& page, std::mt19937_64& rng, const PhotoStyle& style) {
  if (!style.camera) return page.clone();
  // A portrait phone photo with the page filling most of it.
  int long_side = int(uniform(rng, 2000, 2800));
  cv::Size canvas(long_side * 3 / 4, long_side);
  double aspect = double(page.cols) / page.rows;
  std::vector<cv::Point2f> from = {
      {0, 0}, {float(page.cols), 0}, {float(page.cols), float(page.rows)}, {0, float(page.rows)}};
  std::vector<cv::Point2f> to(4);
  for (int attempt = 0;; ++attempt) {
    double theta = uniform(rng, -style.max_rotation_deg, style.max_rotation_deg) * M_PI / 180;
    double h = canvas.height * uniform(rng, 0.72, 0.86);
    double w = h * aspect;
    cv::Point2d c(canvas.width / 2.0 + uniform(rng, -0.04, 0.04) * canvas.width,
                  canvas.height / 2.0 + uniform(rng, -0.04, 0.04) * canvas.height);
    bool inside = true;
    for (int k = 0; k < 4; ++k) {
      double x = (from[k].x / page.cols - 0.5) * w + uniform(rng, -0.035, 0.035) * w;
      double y = (from[k].y / page.rows - 0.5) * h + uniform(rng, -0.035, 0.035) * h;
      to[k] = cv::Point2f(float(c.x + x * std::cos(theta) - y * std::sin(theta)),
                          float(c.y + x * std::sin(theta) + y * std::cos(theta)));
      inside = inside && to[k].x > 4 && to[k].y > 4 && to[k].x < canvas.width - 4 &&
               to[k].y < canvas.height - 4;
    }
    if (inside || attempt > 50) break;
  }
  cv::Mat photo(canvas, CV_8U, cv::Scalar(uniform(rng, 40, 140)));
  cv::Mat h = cv::getPerspectiveTransform(from, to);
  // Shrinking by up to half: smooth first so the resampling does not alias.
  cv::Mat src;
  cv::GaussianBlur(page, src, cv::Size(0, 0), 0.6);
  cv::warpPerspective(src, photo, h, canvas, cv::INTER_LINEAR, cv::BORDER_TRANSPARENT);

  // Light varies smoothly: computed on a coarse grid and enlarged.
  constexpr int kCoarse = 8;
  cv::Size coarse(canvas.width / kCoarse + 1, canvas.height / kCoarse + 1);
  cv::Mat small(coarse, CV_32F);
  double angle = uniform(rng, 0, 2 * M_PI);
  double low = uniform(rng, 0.65, 0.95);
  double diag = std::hypot(canvas.width, canvas.height);
  bool shadow = chance(rng, 0.5);
  double shadow_angle = uniform(rng, 0, 2 * M_PI);
  double shadow_at = uniform(rng, -0.3, 0.3) * diag;
  double shadow_depth = uniform(rng, 0.6, 0.85);
  for (int y = 0; y < coarse.height; ++y) {
    float* l = small.ptr<float>(y);
    for (int x = 0; x < coarse.width; ++x) {
      double dx = x * kCoarse - canvas.width / 2.0;
      double dy = y * kCoarse - canvas.height / 2.0;
      double t = (dx * std::cos(angle) + dy * std::sin(angle)) / diag + 0.5;
      double v = low + (1.02 - low) * t;
      if (shadow) {
        double s = dx * std::cos(shadow_angle) + dy * std::sin(shadow_angle) - shadow_at;
        double edge = 1 / (1 + std::exp(-s / 12.0));
        v *= 1 - (1 - shadow_depth) * edge;
      }
      l[x] = float(v);
    }
  }
  cv::Mat light;
  cv::resize(small, light, cv::Size(coarse.width * kCoarse, coarse.height * kCoarse), 0, 0,
             cv::INTER_LINEAR);
  light = light(cv::Rect(0, 0, canvas.width, canvas.height));
  cv::Mat f;
  photo.convertTo(f, CV_32F);
  f = f.mul(light);
  double blur = uniform(rng, 0, style.max_blur_px);
  if (blur > 0.3) cv::GaussianBlur(f, f, cv::Size(0, 0), blur);
  cv::Mat noise(canvas, CV_32F);
  cv::theRNG().state = rng();
  cv::randn(noise, 0, uniform(rng, 1.5, 6));
  f += noise;
  f.convertTo(photo, CV_8U);
  return photo;
}

std::vector<std::uint8_t> to_jpeg(const cv::Mat& image, std::mt19937_64& rng, int quality) {
  if (quality <= 0) quality = int(uniform(rng, 55, 92));
  std::vector<std::uint8_t> out;
  if (!cv::imencode(".jpg", image, out, {cv::IMWRITE_JPEG_QUALITY, quality})) {
    throw std::runtime_error("cannot encode JPEG");
  }
  return out;
}

}  // namespace rekap::sim
