#include <gtest/gtest.h>

#include <random>

#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "forms/render.hpp"
#include "forms/template.hpp"
#include "ocr/box_image.hpp"
#include "ocr/form_assembly.hpp"
#include "ocr/reader.hpp"
#include "ocr/rectify.hpp"
#include "sim/form_photo.hpp"
#include "sim/votes.hpp"
#include "test_election.hpp"

namespace rekap::ocr {
namespace {

const std::string kTps = "3171011001002";  // 250 registered voters

forms::Template ppwp_template() {
  return forms::build_template(test::election(), kTps, Ballot::ppwp);
}

forms::FieldValues truth_values(Ballot b, std::uint64_t seed) {
  const Definition& def = test::election();
  int tps = def.find_tps(kTps);
  const FormLayout& layout = def.contests[def.tps[tps].contest[int(b)]].layout;
  std::vector<std::uint32_t> v = sim::tps_values(def, tps, b, seed);
  forms::FieldValues out;
  for (std::size_t f = 0; f < v.size(); ++f) out[layout.fields[f].name] = v[f];
  return out;
}

// A known perspective: the page at 10 px/mm seen tilted and shrunk.
cv::Matx33d tilt() {
  std::vector<cv::Point2f> from = {{0, 0}, {2100, 0}, {2100, 2970}, {0, 2970}};
  std::vector<cv::Point2f> to = {{180, 120}, {1610, 60}, {1700, 2150}, {90, 2080}};
  return cv::Matx33d(cv::getPerspectiveTransform(from, to));
}

TEST(OcrGeometry, FitRecoversPerspectiveFromMarkerCorners) {
  forms::Template t = ppwp_template();
  const forms::Page& page = t.pages[0];
  cv::Matx33d h = tilt();
  auto to_photo = [&](double x_mm, double y_mm) {
    cv::Vec3d p = h * cv::Vec3d(x_mm * kPxPerMm, y_mm * kPxPerMm, 1);
    return cv::Point2f(float(p[0] / p[2]), float(p[1] / p[2]));
  };
  std::vector<FoundMarker> found;
  for (const forms::Marker& m : page.markers) {
    const forms::Rect& r = m.square;
    found.push_back({m.id,
                     {to_photo(r.x, r.y), to_photo(r.x + r.w, r.y), to_photo(r.x + r.w, r.y + r.h),
                      to_photo(r.x, r.y + r.h)}});
  }
  for (std::size_t drop = 0; drop <= 4; ++drop) {
    std::vector<FoundMarker> some = found;
    if (drop < 4) some.erase(some.begin() + long(drop));  // any three markers are enough
    auto fit = fit_page(some, page);
    ASSERT_TRUE(fit.has_value());
    EXPECT_LT(fit->max_error_mm, 0.01);
    for (const auto& f : page.fields) {
      cv::Point2f back = page_to_photo(*fit, f.boxes[1].center());
      EXPECT_LT(cv::norm(back - to_photo(f.boxes[1].center().x, f.boxes[1].center().y)), 0.05);
    }
  }
  found.resize(2);
  EXPECT_FALSE(fit_page(found, page).has_value());
}

TEST(OcrGeometry, RenderedPageFoundAndRectified) {
  forms::Template t = ppwp_template();
  cv::Mat page = forms::render_page(t, 0, kPxPerMm, nullptr);
  cv::Mat photo;
  cv::warpPerspective(page, photo, cv::Mat(tilt()), cv::Size(1800, 2300), cv::INTER_AREA,
                      cv::BORDER_CONSTANT, cv::Scalar(90));
  std::vector<FoundMarker> found = find_markers(photo);
  ASSERT_EQ(found.size(), 4u);
  auto fit = fit_page(found, t.pages[0]);
  ASSERT_TRUE(fit.has_value());
  EXPECT_LT(fit->max_error_mm, 0.3);
  cv::Mat back = rectify(photo, *fit, t.width, t.height);
  ASSERT_EQ(back.size(), page.size());
  // Every digit box comes back where the template says (compare the boxes' pixels).
  for (const auto& f : t.pages[0].fields) {
    cv::Rect r = page_pixels(f.boxes[0], page.size());
    cv::Mat diff;
    cv::absdiff(page(r), back(r), diff);
    EXPECT_LT(cv::mean(diff)[0], 25.0) << f.field;
  }
  EXPECT_LT(blur_mm(back, t.pages[0]), 0.2);
  cv::Mat soft;
  cv::GaussianBlur(back, soft, cv::Size(0, 0), 8);
  EXPECT_GT(blur_mm(soft, t.pages[0]), 0.5);
}

TEST(OcrBubbles, FilledBubbleStandsOut) {
  forms::Template t = ppwp_template();
  forms::FieldValues values = truth_values(Ballot::ppwp, 5);
  cv::Mat page = forms::render_page(t, 0, kPxPerMm, &values);
  for (const auto& f : t.pages[0].fields) {
    std::uint32_t v = values.at(f.field);
    std::array<int, 3> d = {int(v / 100), int(v / 10 % 10), int(v % 10)};
    double paper = paper_level(page(page_pixels(f.boxes[0], page.size())));
    for (int i = 0; i < 3; ++i) {
      BubbleFill fill = bubble_fill(page, f.bubbles[i], f.bubble_radius, paper);
      for (int k = 0; k < 10; ++k) {
        if (k == d[i]) {
          EXPECT_GT(fill[k], 0.8) << f.field << " position " << i;
        } else {
          EXPECT_LT(fill[k], 0.1) << f.field << " position " << i << " bubble " << k;
        }
      }
    }
  }
}

TEST(OcrBoxes, EmptyBoxIsNoInk) {
  cv::Mat paper(88, 68, CV_8U, cv::Scalar(210));
  cv::Mat input = digit_input(paper);
  EXPECT_EQ(input.size(), cv::Size(28, 28));
  EXPECT_LT(cv::sum(input)[0], 1.0);
  cv::line(paper, {34, 10}, {34, 78}, cv::Scalar(40), 6);
  input = digit_input(paper);
  EXPECT_GT(cv::sum(input)[0], 20.0);
  double left = cv::sum(input(cv::Rect(0, 0, 10, 28)))[0];
  double middle = cv::sum(input(cv::Rect(10, 0, 8, 28)))[0];
  EXPECT_GT(middle, 10 * (left + 0.01));
}

class OcrReadPhotos : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { digits_ = new sim::MnistDigits(sim::default_mnist_dir()); }
  static void TearDownTestSuite() { delete digits_; }

  std::vector<cv::Mat> photos(Ballot b, std::uint64_t seed, const sim::PhotoStyle& style = {}) {
    forms::Template t = forms::build_template(test::election(), kTps, b);
    forms::FieldValues v = truth_values(b, seed);
    std::mt19937_64 rng(seed);
    std::vector<cv::Mat> out;
    for (std::size_t p = 0; p < t.pages.size(); ++p) {
      sim::FilledPage filled = sim::fill_page(t, int(p), v, *digits_, rng, style);
      auto jpeg = sim::to_jpeg(sim::photograph(filled.page, rng, style), rng);
      out.push_back(cv::imdecode(jpeg, cv::IMREAD_GRAYSCALE));
    }
    return out;
  }

  static sim::MnistDigits* digits_;
  PageReader reader_{test::election(), default_model_path()};
};
sim::MnistDigits* OcrReadPhotos::digits_ = nullptr;

TEST_F(OcrReadPhotos, PhotographedFormsAreReadOrFlaggedNeverWrong) {
  int accepted = 0;
  for (Ballot b : kAllBallots) {
    for (std::uint64_t seed = 1; seed <= 3; ++seed) {
      std::vector<PageRead> pages;
      for (const cv::Mat& photo : photos(b, seed)) pages.push_back(reader_.read(photo));
      FormRead form = decide_form(test::election(), std::move(pages));
      forms::FieldValues truth = truth_values(b, seed);
      const FormLayout& layout = test::election().contests[form.contest].layout;
      int wrong = 0;
      for (std::size_t f = 0; f < layout.fields.size(); ++f) {
        bool right = form.decision.values[f] == truth.at(layout.fields[f].name);
        wrong += right ? 0 : 1;
        // A wrong value is always pointed at.
        if (!right) {
          EXPECT_TRUE(form.decision.review[f]) << layout.fields[f].name;
        }
      }
      if (form.decision.accepted) {
        ++accepted;
        EXPECT_EQ(wrong, 0) << ballot_id(b) << " seed " << seed;
      }
    }
  }
  EXPECT_GE(accepted, 10) << "most clean photos are accepted";
}

TEST_F(OcrReadPhotos, RefusesWhatIsNotAReadableForm) {
  cv::Mat noise(1600, 1200, CV_8U);
  cv::randu(noise, 0, 255);
  try {
    reader_.read(noise);
    FAIL() << "noise was read";
  } catch (const ReadError& e) {
    EXPECT_EQ(e.kind(), ReadError::Kind::not_a_form);
  }
  cv::Mat blurred;
  cv::GaussianBlur(photos(Ballot::ppwp, 1)[0], blurred, cv::Size(0, 0), 7);
  try {
    reader_.read(blurred);
    FAIL() << "a blurred photo was read";
  } catch (const ReadError& e) {
    EXPECT_TRUE(e.kind() == ReadError::Kind::too_blurred || e.kind() == ReadError::Kind::unreadable)
        << e.what();
  }
}

TEST_F(OcrReadPhotos, PagesMustMakeOneWholeForm) {
  std::vector<cv::Mat> dpr = photos(Ballot::pdpr, 2);
  ASSERT_GE(dpr.size(), 1u);
  PageRead first = reader_.read(dpr[0]);
  PageRead ppwp = reader_.read(photos(Ballot::ppwp, 2)[0]);
  auto kind_of = [&](std::vector<PageRead> pages) {
    try {
      decide_form(test::election(), std::move(pages));
    } catch (const ReadError& e) {
      return e.kind();
    }
    return ReadError::Kind::unreadable;
  };
  EXPECT_EQ(kind_of({first, ppwp}), ReadError::Kind::wrong_page);
  EXPECT_EQ(kind_of({first, first}), ReadError::Kind::wrong_page);
  if (dpr.size() > 1) {
    EXPECT_EQ(kind_of({first}), ReadError::Kind::wrong_page);
  }
}

}  // namespace
}  // namespace rekap::ocr
