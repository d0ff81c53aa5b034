#pragma once
// Drawing a template: PDF for printing, grayscale images for the screen, tests and synthetic
// photos. Both draw the same vector page, so the image is the print at a given resolution.
#include <cstdint>
#include <map>
#include <opencv2/core/mat.hpp>
#include <string>

#include "forms/template.hpp"

namespace rekap::forms {

// Numbers to print filled in, by field name; fields left out stay empty.
using FieldValues = std::map<std::string, std::uint32_t>;

// Writes one PDF page per template page. `values` (may be null) fills the boxes and bubbles as
// a careful officer would. Throws std::invalid_argument for a value over 999 or a field the
// template lacks, for a template without a TPS (its QR code needs one); std::runtime_error when
// the file cannot be written.
void render_pdf(const Template& t, const FieldValues* values, const std::string& path);

// Page `page_index` (0-based) as CV_8UC1, white paper 255, `px_per_mm` pixels per millimetre
// (0 < px_per_mm <= 40). Pixel (column i, row j) is centred on the page point (i, j) /
// px_per_mm mm, so a template point (x, y) is at pixel coordinates (x, y) * px_per_mm in
// OpenCV's convention. Throws as render_pdf does, and for a page index out of range.
cv::Mat render_page(const Template& t, int page_index, double px_per_mm, const FieldValues* values);

}  // namespace rekap::forms
