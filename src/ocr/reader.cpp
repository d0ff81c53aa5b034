#include "ocr/reader.hpp"

#include <algorithm>

#include <ZXing/ReadBarcode.h>
#include <opencv2/imgproc.hpp>

#include "ocr/box_image.hpp"
#include "ocr/rectify.hpp"

namespace rekap::ocr {

namespace {

std::optional<std::string> read_qr(const cv::Mat& gray) {
  cv::Mat img = gray.isContinuous() ? gray : gray.clone();
  ZXing::ImageView view(img.data, img.cols, img.rows, ZXing::ImageFormat::Lum);
  ZXing::DecodeHints hints;
  hints.setFormats(ZXing::BarcodeFormat::QRCode);
  hints.setTryHarder(true);
  ZXing::Result r = ZXing::ReadBarcode(view, hints);
  if (!r.isValid()) return std::nullopt;
  return r.text();
}

// The QR code of a photo: searched at a moderate size first (fast), then at full size.
std::optional<std::string> find_qr(const cv::Mat& gray) {
  int side = std::max(gray.cols, gray.rows);
  if (side > 1600) {
    cv::Mat small;
    double s = 1600.0 / side;
    cv::resize(gray, small, cv::Size(), s, s, cv::INTER_AREA);
    if (auto text = read_qr(small)) return text;
  }
  return read_qr(gray);
}

// Below this much fine detail a photo is too blurred to find anything in (a sharp phone photo of
// a form has about 1,800; blurred by 3 pixels, 50).
constexpr double kBlurredDetail = 20;

forms::Rect field_crop(const forms::FieldPlacement& f) {
  double x0 = f.boxes[0].x, y0 = f.boxes[0].y;
  double x1 = f.boxes[2].x + f.boxes[2].w, y1 = f.boxes[0].y + f.boxes[0].h;
  for (const auto& row : f.bubbles) {
    for (const auto& c : row) {
      x0 = std::min(x0, c.x - f.bubble_radius);
      y0 = std::min(y0, c.y - f.bubble_radius);
      x1 = std::max(x1, c.x + f.bubble_radius);
      y1 = std::max(y1, c.y + f.bubble_radius);
    }
  }
  return {x0, y0, x1 - x0, y1 - y0};
}

Reading bubbles_alone(const std::array<BubbleFill, 3>& fill) {
  std::array<SymbolProbs, 3> p;
  for (int i = 0; i < 3; ++i) p[i] = bubble_symbol_probs(fill[i]);
  return FieldCosts(p).reading();
}

}  // namespace

std::string_view kind_name(ReadError::Kind k) {
  switch (k) {
    case ReadError::Kind::not_a_form:
      return "not_a_form";
    case ReadError::Kind::wrong_form:
      return "wrong_form";
    case ReadError::Kind::wrong_page:
      return "wrong_page";
    case ReadError::Kind::too_blurred:
      return "too_blurred";
    case ReadError::Kind::too_large:
      return "too_large";
    case ReadError::Kind::unreadable:
      break;
  }
  return "unreadable";
}

FieldCosts FieldRead::costs() const {
  std::array<SymbolProbs, 3> p;
  for (int i = 0; i < 3; ++i) p[i] = combine(box[i], bubble_symbol_probs(bubbles[i]));
  return FieldCosts(p);
}

PageReader::PageReader(const Definition& def, const std::string& model_path, ReadLimits limits)
    : def_(def), model_(model_path), limits_(limits) {}

// The QR code read from the page itself: where the markers put it (the same place on every
// page of a paper size), resampled at the page's scale and binarised. Rescues photos too soft or
// too small for reading the code straight from the photo. Sets `blur` to the page's blur.
std::optional<std::string> PageReader::qr_on_page(const cv::Mat& photo,
                                                  const std::vector<FoundMarker>& markers,
                                                  double& blur) {
  if (def_.contests.empty()) return std::nullopt;
  for (forms::Paper paper : {forms::Paper::a4, forms::Paper::a3}) {
    const forms::Template& t = contest_template(0, paper);
    const forms::Page& page = t.pages.at(0);
    auto fit = fit_page(markers, page);
    if (!fit || fit->max_error_mm > limits_.max_fit_error_mm) continue;
    cv::Mat rectified = rectify(photo, *fit, t.width, t.height);
    blur = blur_mm(rectified, page);
    const forms::Rect& q = page.qr;
    cv::Mat roi = rectified(page_pixels({q.x - 2, q.y - 2, q.w + 4, q.h + 4}, rectified.size()));
    if (auto text = read_qr(roi)) return text;
    cv::Mat binary;
    cv::adaptiveThreshold(roi, binary, 255, cv::ADAPTIVE_THRESH_GAUSSIAN_C, cv::THRESH_BINARY, 31,
                          10);
    if (auto text = read_qr(binary)) return text;
  }
  return std::nullopt;
}

const forms::Template& PageReader::contest_template(int contest, forms::Paper paper) {
  auto key = std::make_pair(contest, paper);
  auto it = templates_.find(key);
  if (it == templates_.end()) {
    it = templates_.emplace(key, forms::build_contest_template(def_, contest, paper)).first;
  }
  return it->second;
}

PageRead PageReader::read(const cv::Mat& photo) {
  using K = ReadError::Kind;
  if (photo.empty()) throw ReadError(K::not_a_form, "the image is empty or not an image");
  std::vector<FoundMarker> markers = find_markers(photo);
  std::optional<std::string> text = find_qr(photo);
  double page_blur = 0;
  if (!text && markers.size() >= 3) text = qr_on_page(photo, markers, page_blur);
  if (!text) {
    if (page_blur > limits_.max_blur_mm * 0.6) {
      throw ReadError(K::too_blurred,
                      "the photo is too blurred to read the form's QR code (edges "
                      "spread over " +
                          std::to_string(page_blur) +
                          " mm); hold the phone still and photograph it again");
    }
    if (photo_detail(photo) < kBlurredDetail) {
      throw ReadError(K::too_blurred,
                      "the photo is too blurred to find the form's corner markers and QR code; "
                      "hold the phone still and photograph it again");
    }
    if (markers.empty()) {
      throw ReadError(K::not_a_form, "not a rekap C1 form: no corner markers and no QR code found");
    }
    throw ReadError(K::unreadable, "the form's QR code cannot be read (" +
                                       std::to_string(markers.size()) +
                                       " of 4 corner markers found); photograph the whole page, "
                                       "with the QR code uncovered");
  }
  std::optional<forms::QrPayload> qr = forms::decode_qr_payload(*text);
  if (!qr)
    throw ReadError(K::not_a_form, "the QR code is not a rekap C1 form's: \"" + *text + "\"");

  PageRead out;
  out.qr = *qr;
  int tps = def_.find_tps(qr->tps);
  if (tps < 0)
    throw ReadError(K::wrong_form, "the form is for TPS " + qr->tps + ", not in this election");
  out.contest = def_.tps[tps].contest[int(qr->ballot)];
  if (out.contest < 0) {
    throw ReadError(K::wrong_form, "TPS " + qr->tps + " has no " +
                                       std::string(ballot_id(qr->ballot)) + " contest");
  }
  forms::Paper paper = qr->template_id.ends_with("-a3") ? forms::Paper::a3 : forms::Paper::a4;
  const forms::Template& t = contest_template(out.contest, paper);
  if (t.id != qr->template_id) {
    throw ReadError(K::wrong_form, "the form's template " + qr->template_id +
                                       " is not this election's form (" + t.id + ")");
  }
  if (qr->pages != int(t.pages.size()) || qr->page < 1 || qr->page > qr->pages) {
    throw ReadError(K::wrong_form, "the form says page " + std::to_string(qr->page) + " of " +
                                       std::to_string(qr->pages) + "; this form has " +
                                       std::to_string(t.pages.size()) + " pages");
  }
  const forms::Page& page = t.pages[qr->page - 1];

  std::optional<PageFit> fit = fit_page(markers, page);
  if (!fit) {
    throw ReadError(K::unreadable, "only " + std::to_string(markers.size()) +
                                       " of the 4 corner markers are visible; photograph the "
                                       "whole page");
  }
  out.fit_error_mm = fit->max_error_mm;
  if (fit->max_error_mm > limits_.max_fit_error_mm) {
    throw ReadError(K::unreadable, "the corner markers do not lie on a flat page (off by " +
                                       std::to_string(fit->max_error_mm) +
                                       " mm); flatten the paper and photograph it again");
  }
  cv::Mat rectified = rectify(photo, *fit, t.width, t.height);
  out.blur_mm = blur_mm(rectified, page);
  if (out.blur_mm > limits_.max_blur_mm) {
    throw ReadError(K::too_blurred, "the photo is too blurred to read (edges spread over " +
                                        std::to_string(out.blur_mm) +
                                        " mm); hold the phone still and photograph it again");
  }

  const FormLayout& layout = def_.contests[out.contest].layout;
  std::vector<cv::Mat> inputs;
  for (const forms::FieldPlacement& f : page.fields) {
    FieldRead fr;
    fr.field = layout.find(f.field);
    if (fr.field < 0) {
      throw ReadError(K::wrong_form, "template field " + f.field + " is not on the contest's form");
    }
    fr.crop = field_crop(f);
    fr.photo_quad = {page_to_photo(*fit, {fr.crop.x, fr.crop.y}),
                     page_to_photo(*fit, {fr.crop.x + fr.crop.w, fr.crop.y}),
                     page_to_photo(*fit, {fr.crop.x + fr.crop.w, fr.crop.y + fr.crop.h}),
                     page_to_photo(*fit, {fr.crop.x, fr.crop.y + fr.crop.h})};
    double paper_px = paper_level(rectified(page_pixels(fr.crop, rectified.size())));
    for (int i = 0; i < 3; ++i) {
      const forms::Rect& b = f.boxes[i];
      cv::Rect px = page_pixels(
          {b.x + kBoxInsetMm, b.y + kBoxInsetMm, b.w - 2 * kBoxInsetMm, b.h - 2 * kBoxInsetMm},
          rectified.size());
      inputs.push_back(digit_input(rectified(px)));
      fr.bubbles[i] = bubble_fill(rectified, f.bubbles[i], f.bubble_radius, paper_px);
    }
    out.fields.push_back(std::move(fr));
  }
  std::vector<SymbolProbs> probs = model_.classify(inputs);
  for (std::size_t k = 0; k < out.fields.size(); ++k) {
    FieldRead& fr = out.fields[k];
    for (int i = 0; i < 3; ++i) fr.box[i] = probs[k * 3 + i];
    fr.digits = FieldCosts(fr.box).reading();
    fr.marks = bubbles_alone(fr.bubbles);
  }
  return out;
}

}  // namespace rekap::ocr
