// ZXing-cpp 1.4 returns text() as UTF-8 only when asked to; its default is a wide string.
#define ZX_USE_UTF8
#include <ZXing/ReadBarcode.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <opencv2/aruco.hpp>
#include <opencv2/imgproc.hpp>
#include <set>
#include <sstream>

#include <unistd.h>

#include "forms/render.hpp"
#include "forms/template.hpp"
#include "unit/test_election.hpp"

namespace rekap::forms {
namespace {

// PDF page objects: "/Type /Page" (any spaces) not followed by "s" (that is the /Pages tree).
long count_page_objects(const std::string& pdf) {
  long n = 0;
  for (std::size_t at = pdf.find("/Type"); at != std::string::npos;
       at = pdf.find("/Type", at + 1)) {
    std::size_t p = at + 5;
    while (p < pdf.size() && (pdf[p] == ' ' || pdf[p] == '\n' || pdf[p] == '\r')) ++p;
    if (pdf.compare(p, 5, "/Page") == 0 && (p + 5 >= pdf.size() || pdf[p + 5] != 's')) ++n;
  }
  return n;
}

constexpr double kPxPerMm = 10;

Template ppwp_form() {
  return build_template(test::election(), "3171011001002", Ballot::ppwp);
}

// Mean darkness (0 white .. 1 black) and the count of dark pixels (< 128) inside a circle of
// `radius` mm around a template point.
struct Ink {
  double mean = 0;
  int dark = 0;
};

Ink ink_in_circle(const cv::Mat& page, Point c, double radius) {
  Ink ink;
  int n = 0;
  double cx = c.x * kPxPerMm, cy = c.y * kPxPerMm, r = radius * kPxPerMm;
  for (int y = int(cy - r) - 1; y <= int(cy + r) + 1; ++y) {
    for (int x = int(cx - r) - 1; x <= int(cx + r) + 1; ++x) {
      if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > r * r) continue;
      std::uint8_t v = page.at<std::uint8_t>(y, x);
      ink.mean += (255 - v) / 255.0;
      ink.dark += v < 128;
      ++n;
    }
  }
  ink.mean /= n;
  return ink;
}

// Dark pixels strictly inside a box (its outline excluded).
int dark_in_box(const cv::Mat& page, const Rect& b) {
  cv::Rect inner(int((b.x + 0.6) * kPxPerMm), int((b.y + 0.6) * kPxPerMm),
                 int((b.w - 1.2) * kPxPerMm), int((b.h - 1.2) * kPxPerMm));
  cv::Mat dark;
  cv::threshold(page(inner), dark, 127, 255, cv::THRESH_BINARY_INV);
  return cv::countNonZero(dark);
}

TEST(FormRender, PageIsGrayscaleAtTheResolutionAsked) {
  Template t = ppwp_form();
  cv::Mat page = render_page(t, 0, kPxPerMm, nullptr);
  EXPECT_EQ(page.type(), CV_8UC1);
  EXPECT_EQ(page.cols, 2100);
  EXPECT_EQ(page.rows, 2970);
  EXPECT_EQ(page.at<std::uint8_t>(150, 1000), 255);  // paper between the header and the fields
  cv::Mat a3 = render_page(
      build_template(test::election(), "3171011001002", Ballot::ppwp, Paper::a3), 0, 4, nullptr);
  EXPECT_EQ(a3.cols, 297 * 4);
  EXPECT_EQ(a3.rows, 420 * 4);
}

TEST(FormRender, FilledBubblesAreDarkAndEmptyOnesAreNot) {
  Template t = ppwp_form();
  FieldValues values{{"c1", 7}, {"c2", 120}, {"c3", 0}, {"suara_sah", 305}, {"ss_rusak", 40}};
  cv::Mat page = render_page(t, 0, kPxPerMm, &values);
  int filled = 0;
  for (const FieldPlacement& f : t.pages[0].fields) {
    SCOPED_TRACE(f.field);
    auto it = values.find(f.field);
    for (int pos = 0; pos < 3; ++pos) {
      int digit = -1;
      if (it != values.end()) {
        int d[3] = {int(it->second / 100), int(it->second / 10 % 10), int(it->second % 10)};
        digit = d[pos];
      }
      for (int d = 0; d < 10; ++d) {
        // Within 0.25 mm of the edge the outline's stroke and anti-aliasing begin.
        Ink ink = ink_in_circle(page, f.bubbles[pos][d], f.bubble_radius - 0.25);
        if (d == digit) {
          EXPECT_GT(ink.mean, 0.95) << "position " << pos << " digit " << d;
          ++filled;
        } else {
          EXPECT_EQ(ink.dark, 0) << "position " << pos << " digit " << d;
          EXPECT_LT(ink.mean, 0.15) << "position " << pos << " digit " << d;
        }
      }
      // A written digit or an X in each box of a filled field; nothing in an empty one.
      if (digit >= 0) {
        EXPECT_GT(dark_in_box(page, f.boxes[pos]), 100) << "box " << pos;
      } else {
        EXPECT_EQ(dark_in_box(page, f.boxes[pos]), 0) << "box " << pos;
      }
    }
  }
  EXPECT_EQ(filled, 15);
}

TEST(FormRender, LeadingZerosAreCrossed) {
  Template t = ppwp_form();
  FieldValues values{{"c1", 7}, {"c2", 0}};
  cv::Mat page = render_page(t, 0, kPxPerMm, &values);
  for (const FieldPlacement& f : t.pages[0].fields) {
    if (f.field != "c1" && f.field != "c2") continue;
    for (int pos = 0; pos < 2; ++pos) {
      // An X's two strokes cross at the box's centre; a typed 0 leaves its centre white.
      Ink centre = ink_in_circle(page, f.boxes[pos].center(), 0.2);
      EXPECT_GT(centre.mean, 0.5) << f.field << " box " << pos;
    }
  }
}

TEST(FormRender, MarkersAreFoundWhereTheTemplateSays) {
  Template t = ppwp_form();
  cv::Mat page = render_page(t, 0, kPxPerMm, nullptr);
  auto dictionary = cv::aruco::getPredefinedDictionary(cv::aruco::DICT_4X4_50);
  auto params = cv::aruco::DetectorParameters::create();
  params->cornerRefinementMethod = cv::aruco::CORNER_REFINE_SUBPIX;
  std::vector<std::vector<cv::Point2f>> corners;
  std::vector<int> ids;
  cv::aruco::detectMarkers(page, dictionary, corners, ids, params);
  ASSERT_EQ(ids.size(), 4u);
  std::set<int> seen;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    ASSERT_GE(ids[i], 0);
    ASSERT_LE(ids[i], 3);
    seen.insert(ids[i]);
    const Rect& sq = t.pages[0].markers[ids[i]].square;
    // ArUco lists a marker's corners clockwise from its top-left.
    const Point expected[4] = {
        {sq.x, sq.y}, {sq.x + sq.w, sq.y}, {sq.x + sq.w, sq.y + sq.h}, {sq.x, sq.y + sq.h}};
    for (int k = 0; k < 4; ++k) {
      EXPECT_NEAR(corners[i][k].x, expected[k].x * kPxPerMm, 1.0) << "marker " << ids[i];
      EXPECT_NEAR(corners[i][k].y, expected[k].y * kPxPerMm, 1.0) << "marker " << ids[i];
    }
  }
  EXPECT_EQ(seen.size(), 4u);
}

TEST(FormRender, QrCodeReadsBackAsThePayload) {
  Template t = build_template(test::election(), "3171011002002", Ballot::pdprdk);
  for (std::size_t p = 0; p < t.pages.size(); ++p) {
    cv::Mat page = render_page(t, int(p), kPxPerMm, nullptr);
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    auto result = ZXing::ReadBarcode(
        {page.data, page.cols, page.rows, ZXing::ImageFormat::Lum, int(page.step)}, hints);
    ASSERT_TRUE(result.isValid()) << "page " << p + 1;
    auto payload = decode_qr_payload(result.text());
    ASSERT_TRUE(payload) << result.text();
    EXPECT_EQ(payload->template_id, t.id);
    EXPECT_EQ(payload->tps, "3171011002002");
    EXPECT_EQ(payload->ballot, Ballot::pdprdk);
    EXPECT_EQ(payload->page, int(p) + 1);
    EXPECT_EQ(payload->pages, int(t.pages.size()));
    // The code is where the template says: its centre inside the QR square.
    auto pos = result.position();
    double cx = (pos.topLeft().x + pos.bottomRight().x) / 2.0 / kPxPerMm;
    double cy = (pos.topLeft().y + pos.bottomRight().y) / 2.0 / kPxPerMm;
    EXPECT_NEAR(cx, t.pages[p].qr.center().x, 1);
    EXPECT_NEAR(cy, t.pages[p].qr.center().y, 1);
  }
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(FormRender, PdfHasOnePagePerTemplatePage) {
  auto dir = std::filesystem::temp_directory_path() / ("rekap-forms-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  for (Ballot b : {Ballot::ppwp, Ballot::pdpr}) {
    Template t = build_template(test::election(), "3171011001001", b);
    std::string path = (dir / (std::string(ballot_id(b)) + ".pdf")).string();
    FieldValues values{{"suara_sah", 12}};
    render_pdf(t, &values, path);
    std::string pdf = read_all(path);
    ASSERT_TRUE(pdf.starts_with("%PDF")) << path;
    EXPECT_EQ(count_page_objects(pdf), long(t.pages.size())) << path;
  }
  EXPECT_THROW(render_pdf(ppwp_form(), nullptr, (dir / "no" / "such" / "dir.pdf").string()),
               std::runtime_error);
  std::filesystem::remove_all(dir);
}

TEST(FormRender, RefusesWhatCannotBePrinted) {
  Template t = ppwp_form();
  FieldValues too_big{{"c1", 1000}};
  FieldValues unknown{{"c9", 1}};
  EXPECT_THROW(render_page(t, 0, kPxPerMm, &too_big), std::invalid_argument);
  EXPECT_THROW(render_pdf(t, &unknown, "/tmp/never-written.pdf"), std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists("/tmp/never-written.pdf"));
  EXPECT_THROW(render_page(t, 1, kPxPerMm, nullptr), std::invalid_argument);
  EXPECT_THROW(render_page(t, 0, 0, nullptr), std::invalid_argument);
  // A contest's template has no TPS, so no QR code to print.
  Template contest = build_contest_template(test::election(), 0);
  EXPECT_THROW(render_page(contest, 0, kPxPerMm, nullptr), std::invalid_argument);
}

}  // namespace
}  // namespace rekap::forms
