#include "forms/render.hpp"

#include <cairo-pdf.h>
#include <cairo.h>
#include <qrencode.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <memory>
#include <numbers>
#include <opencv2/aruco.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <stdexcept>

namespace rekap::forms {

namespace {

constexpr double kPointsPerMm = 72 / 25.4;
constexpr const char* kFont = "DejaVu Sans";

// Grays (0 black, 1 white). The bubbles' outline and printed digit are light so that an empty
// bubble has little dark area and a filled one stands out to the reader; boxes are darker so a
// person sees where to write.
constexpr double kInk = 0;
constexpr double kBoxGray = 0.3;
constexpr double kBubbleGray = 140 / 255.0;
constexpr double kBubbleDigitGray = 170 / 255.0;
constexpr double kBoxLine = 0.35;  // mm
constexpr double kBubbleLine = 0.25;
constexpr double kBubbleDigitSize = 2.1;
constexpr double kTypedDigitSize = 7.5;
constexpr double kCrossLine = 0.6;
constexpr double kLabelMaxSize = 2.6;
constexpr double kLabelMinSize = 1.6;

using Context = std::unique_ptr<cairo_t, decltype(&cairo_destroy)>;
using Surface = std::unique_ptr<cairo_surface_t, decltype(&cairo_surface_destroy)>;

void check(cairo_status_t status, const std::string& what) {
  if (status != CAIRO_STATUS_SUCCESS) {
    throw std::runtime_error(what + ": " + cairo_status_to_string(status));
  }
}

void gray(cairo_t* cr, double g) {
  cairo_set_source_rgb(cr, g, g, g);
}

void font(cairo_t* cr, double size, bool bold) {
  cairo_select_font_face(cr, kFont, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

double advance(cairo_t* cr, const std::string& s) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  return e.x_advance;
}

// Text at a baseline, made smaller where it would run past max_width.
void show(cairo_t* cr, const TextItem& t) {
  font(cr, t.size, t.bold);
  double w = advance(cr, t.text);
  if (t.max_width > 0 && w > t.max_width) cairo_set_font_size(cr, t.size * t.max_width / w);
  gray(cr, kInk);
  cairo_move_to(cr, t.at.x, t.at.y);
  cairo_show_text(cr, t.text.c_str());
}

// Text whose ink is centred on a point (digits in boxes and bubbles).
void show_centred(cairo_t* cr, const std::string& s, Point c) {
  cairo_text_extents_t e;
  cairo_text_extents(cr, s.c_str(), &e);
  cairo_move_to(cr, c.x - e.x_bearing - e.width / 2, c.y - e.y_bearing - e.height / 2);
  cairo_show_text(cr, s.c_str());
}

// Greedy word wrap at the current font.
std::vector<std::string> wrap(cairo_t* cr, const std::string& s, double width) {
  std::vector<std::string> lines;
  std::string line;
  for (std::size_t start = 0; start <= s.size();) {
    std::size_t end = std::min(s.find(' ', start), s.size());
    std::string word = s.substr(start, end - start);
    start = end + 1;
    if (word.empty()) continue;
    std::string longer = line.empty() ? word : line + " " + word;
    if (!line.empty() && advance(cr, longer) > width) {
      lines.push_back(line);
      line = word;
    } else {
      line = longer;
    }
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

// The label in its area: the largest size at which its lines fit, centred vertically. At the
// smallest size what does not fit is squeezed into the last line rather than spilling over the
// next field.
void show_label(cairo_t* cr, const FieldPlacement& f) {
  const Rect& a = f.label_area;
  double size = kLabelMaxSize;
  std::vector<std::string> lines;
  for (;; size -= 0.1) {
    font(cr, size, false);
    lines = wrap(cr, f.label, a.w);
    bool fits = lines.size() * size * 1.2 <= a.h;
    for (const auto& l : lines) fits = fits && advance(cr, l) <= a.w;
    if (fits || size - 0.1 < kLabelMinSize) break;
  }
  auto max_lines = static_cast<std::size_t>(a.h / (size * 1.2));
  while (lines.size() > std::max<std::size_t>(max_lines, 1)) {
    lines[lines.size() - 2] += " " + lines.back();
    lines.pop_back();
  }
  double line_height = size * 1.2;
  double top = a.y + (a.h - lines.size() * line_height) / 2;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    // 0.36 em: half the cap height, so the line's capitals sit centred in its slot.
    double baseline = top + (i + 0.5) * line_height + 0.36 * size;
    show(cr, TextItem{{a.x, baseline}, size, false, lines[i], a.w});
  }
}

void circle(cairo_t* cr, Point c, double r) {
  cairo_new_sub_path(cr);
  cairo_arc(cr, c.x, c.y, r, 0, 2 * std::numbers::pi);
}

// The marker's cells as filled squares in one path, so that neighbouring cells join without
// hairline seams and the PDF keeps them as vectors.
void draw_marker(cairo_t* cr, const Marker& m) {
  static const cv::Ptr<cv::aruco::Dictionary> dictionary =
      cv::aruco::getPredefinedDictionary(cv::aruco::DICT_4X4_50);
  if (m.id < 0 || m.id >= dictionary->bytesList.rows) {
    throw std::invalid_argument("marker id " + std::to_string(m.id) + " is not in DICT_4X4_50");
  }
  constexpr int kCells = 4 + 2;  // the 4 x 4 bits and a one-cell black border around them
  cv::Mat bits;
  cv::aruco::drawMarker(dictionary, m.id, kCells, bits, 1);
  double cw = m.square.w / kCells, ch = m.square.h / kCells;
  for (int r = 0; r < kCells; ++r) {
    for (int c = 0; c < kCells; ++c) {
      if (bits.at<std::uint8_t>(r, c) == 0) {
        cairo_rectangle(cr, m.square.x + c * cw, m.square.y + r * ch, cw, ch);
      }
    }
  }
  gray(cr, kInk);
  cairo_fill(cr);
}

void draw_qr(cairo_t* cr, const Rect& area, const std::string& payload) {
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeString8bit(payload.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
  if (!code) {
    throw std::runtime_error("cannot make the QR code of `" + payload +
                             "`: " + std::strerror(errno));
  }
  constexpr int kQuietModules = 4;  // the quiet zone the QR standard asks for, each side
  int n = code->width;
  double module = std::min(area.w, area.h) / (n + 2 * kQuietModules);
  double x0 = area.x + (area.w - n * module) / 2;
  double y0 = area.y + (area.h - n * module) / 2;
  for (int y = 0; y < n; ++y) {
    for (int x = 0; x < n; ++x) {
      if (code->data[y * n + x] & 1)
        cairo_rectangle(cr, x0 + x * module, y0 + y * module, module, module);
    }
  }
  gray(cr, kInk);
  cairo_fill(cr);
}

void draw_field(cairo_t* cr, const FieldPlacement& f) {
  show_label(cr, f);
  for (const Rect& b : f.boxes) cairo_rectangle(cr, b.x, b.y, b.w, b.h);
  gray(cr, kBoxGray);
  cairo_set_line_width(cr, kBoxLine);
  cairo_stroke(cr);
  for (const auto& row : f.bubbles) {
    for (const Point& c : row) circle(cr, c, f.bubble_radius);
  }
  gray(cr, kBubbleGray);
  cairo_set_line_width(cr, kBubbleLine);
  cairo_stroke(cr);
  font(cr, kBubbleDigitSize, false);
  gray(cr, kBubbleDigitGray);
  for (const auto& row : f.bubbles) {
    for (int d = 0; d < 10; ++d) show_centred(cr, std::to_string(d), row[d]);
  }
}

// A value as a careful officer writes it: digits right-aligned in the boxes, an X in each box
// before the first digit, and one bubble filled per position (bubble 0 for those X'd boxes).
void draw_value(cairo_t* cr, const FieldPlacement& f, std::uint32_t value) {
  const int digits[3] = {int(value / 100), int(value / 10 % 10), int(value % 10)};
  bool leading = true;
  font(cr, kTypedDigitSize, false);
  gray(cr, kInk);
  for (int pos = 0; pos < 3; ++pos) {
    leading = leading && pos < 2 && digits[pos] == 0;
    const Rect& b = f.boxes[pos];
    if (leading) {
      constexpr double kInsetX = 1.5, kInsetY = 2;
      cairo_move_to(cr, b.x + kInsetX, b.y + kInsetY);
      cairo_line_to(cr, b.x + b.w - kInsetX, b.y + b.h - kInsetY);
      cairo_move_to(cr, b.x + b.w - kInsetX, b.y + kInsetY);
      cairo_line_to(cr, b.x + kInsetX, b.y + b.h - kInsetY);
      cairo_set_line_width(cr, kCrossLine);
      cairo_stroke(cr);
    } else {
      show_centred(cr, std::to_string(digits[pos]), b.center());
    }
    circle(cr, f.bubbles[pos][digits[pos]], f.bubble_radius);
    cairo_fill(cr);
  }
}

void check_values(const Template& t, const FieldValues& values) {
  std::set<std::string_view> fields;
  for (const Page& p : t.pages) {
    for (const FieldPlacement& f : p.fields) fields.insert(f.field);
  }
  for (const auto& [name, value] : values) {
    if (!fields.contains(name)) {
      throw std::invalid_argument("form " + t.id + " has no field `" + name + "`");
    }
    if (value > 999) {
      throw std::invalid_argument("field `" + name + "` = " + std::to_string(value) +
                                  ": a form holds 0 to 999");
    }
  }
}

void draw_page(cairo_t* cr, const Template& t, std::size_t index, const FieldValues* values) {
  const Page& page = t.pages[index];
  cairo_font_options_t* options = cairo_font_options_create();
  // Unhinted outlines and metrics: the same text measures and looks the same in the PDF and
  // at every raster resolution.
  cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
  cairo_set_font_options(cr, options);
  cairo_font_options_destroy(options);

  for (const Marker& m : page.markers) draw_marker(cr, m);
  draw_qr(
      cr, page.qr,
      encode_qr_payload({t.id, t.tps, t.ballot, page.number, static_cast<int>(t.pages.size())}));
  for (const TextItem& text : page.texts) show(cr, text);
  for (const FieldPlacement& f : page.fields) draw_field(cr, f);
  if (values) {
    for (const FieldPlacement& f : page.fields) {
      auto it = values->find(f.field);
      if (it != values->end()) draw_value(cr, f, it->second);
    }
  }
  check(cairo_status(cr), "drawing page " + std::to_string(page.number) + " of form " + t.id);
}

// What every render checks first, so that nothing is half drawn.
void check_template(const Template& t, const FieldValues* values) {
  if (t.tps.empty()) {
    throw std::invalid_argument("form " + t.id +
                                " has no TPS: only a TPS's form (with its QR code) is printed");
  }
  if (t.pages.empty()) throw std::invalid_argument("form " + t.id + " has no pages");
  if (values) check_values(t, *values);
}

}  // namespace

void render_pdf(const Template& t, const FieldValues* values, const std::string& path) {
  check_template(t, values);
  Surface surface(
      cairo_pdf_surface_create(path.c_str(), t.width * kPointsPerMm, t.height * kPointsPerMm),
      &cairo_surface_destroy);
  check(cairo_surface_status(surface.get()), "cannot write " + path);
  {
    Context cr(cairo_create(surface.get()), &cairo_destroy);
    cairo_scale(cr.get(), kPointsPerMm, kPointsPerMm);
    for (std::size_t i = 0; i < t.pages.size(); ++i) {
      draw_page(cr.get(), t, i, values);
      cairo_show_page(cr.get());
    }
  }
  cairo_surface_finish(surface.get());
  check(cairo_surface_status(surface.get()), "cannot write " + path);
}

cv::Mat render_page(const Template& t, int page_index, double px_per_mm,
                    const FieldValues* values) {
  check_template(t, values);
  if (page_index < 0 || page_index >= static_cast<int>(t.pages.size())) {
    throw std::invalid_argument("form " + t.id + " has no page index " +
                                std::to_string(page_index) + " (it has " +
                                std::to_string(t.pages.size()) + " pages)");
  }
  if (!(px_per_mm > 0 && px_per_mm <= 40)) {
    throw std::invalid_argument("pixels per mm must be above 0 and at most 40");
  }
  int width = static_cast<int>(std::lround(t.width * px_per_mm));
  int height = static_cast<int>(std::lround(t.height * px_per_mm));
  Surface surface(cairo_image_surface_create(CAIRO_FORMAT_RGB24, width, height),
                  &cairo_surface_destroy);
  check(cairo_surface_status(surface.get()),
        "cannot make a " + std::to_string(width) + " x " + std::to_string(height) + " image");
  {
    Context cr(cairo_create(surface.get()), &cairo_destroy);
    gray(cr.get(), 1);
    cairo_paint(cr.get());
    // Half a pixel: Cairo's pixel i spans [i, i+1) and OpenCV's is centred on i.
    cairo_translate(cr.get(), 0.5, 0.5);
    cairo_scale(cr.get(), px_per_mm, px_per_mm);
    draw_page(cr.get(), t, static_cast<std::size_t>(page_index), values);
  }
  cairo_surface_flush(surface.get());
  cv::Mat bgrx(height, width, CV_8UC4, cairo_image_surface_get_data(surface.get()),
               static_cast<std::size_t>(cairo_image_surface_get_stride(surface.get())));
  cv::Mat page;
  cv::cvtColor(bgrx, page, cv::COLOR_BGRA2GRAY);
  return page;
}

}  // namespace rekap::forms
