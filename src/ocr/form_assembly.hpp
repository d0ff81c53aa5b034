#pragma once
// From the photos of one form's pages to the form's reading, the same for every caller
// (`rekap ocr read`, POST /api/v1/ocr, the simulator's officer): each photo is read as a page of
// the form being entered; the pages are put in page order and must make one whole form (one
// TPS, ballot and template; every page exactly once); then the form is decided under its
// arithmetic (ocr/decode). Everything here is logic on PageReads except read_form_page, which
// runs the reader.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "core/definition.hpp"
#include "ocr/decode.hpp"
#include "ocr/reader.hpp"

namespace rekap::ocr {

// A whole form: its pages, and the decision.
struct FormRead {
  std::string tps;
  Ballot ballot = Ballot::ppwp;
  int contest = -1;
  std::vector<PageRead> pages;  // in page order
  // Per layout field: which page (index into pages) and which of its fields.
  std::vector<std::pair<int, int>> where;
  FormDecision decision;

  const FieldRead& field(std::size_t f) const {
    return pages[std::size_t(where[f].first)].fields[std::size_t(where[f].second)];
  }
  int page_of(std::size_t f) const { return pages[std::size_t(where[f].first)].qr.page; }
};

// Throws ReadError (wrong_page) when the page is not of TPS `tps` (unless empty) or not of
// `ballot` (unless none): a photo of another form than the one being entered.
void expect_form(const PageRead& page, const std::string& tps, std::optional<Ballot> ballot);

// Reads `photo` as a page of the form being entered (see expect_form). An empty `photo` is one
// the caller could not decode as an image. Throws ReadError with the reason it is refused.
PageRead read_form_page(PageReader& reader, const cv::Mat& photo, const std::string& tps,
                        std::optional<Ballot> ballot);

// Puts pages of one form together and decides. Throws ReadError (wrong_page) when pages are of
// different forms, repeated, or missing.
FormRead decide_form(const Definition& def, std::vector<PageRead> pages,
                     const DecodeOptions& options = {});

// A page and the photo it was read from, named as its caller knows it (a file, a hash).
struct PhotoPage {
  PageRead page;
  std::string image;
};

// The photos of one form put together: the photos' names in page order (photos of the same page
// keep their given order), and either the decided form or the reason they do not make one.
struct AssembledForm {
  std::vector<std::string> images;
  std::optional<FormRead> form;      // set unless refusal is
  std::optional<ReadError> refusal;  // decide_form's ReadError; every photo is refused with it
};
AssembledForm assemble_form(const Definition& def, std::vector<PhotoPage> pages);

}  // namespace rekap::ocr
