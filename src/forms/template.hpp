#pragma once
// A C1 form template: where everything is on each page of one TPS's form for one ballot. The same
// template drives printing (forms/render) and reading (ocr/). Coordinates are millimetres from the
// page's top-left corner, x to the right, y down.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ballot.hpp"
#include "core/definition.hpp"

namespace rekap::forms {

struct Point {
  double x = 0;
  double y = 0;
};

struct Rect {
  double x = 0;
  double y = 0;
  double w = 0;
  double h = 0;
  Point center() const { return {x + w / 2, y + h / 2}; }
};

// One number on the form: three digit boxes (hundreds, tens, units) and beside them a 3 x 10
// bubble grid, bubbles[position][digit] for positions hundreds, tens, units and digits 0..9.
struct FieldPlacement {
  std::string field;  // FormLayout field name, e.g. "pengguna_dpt_j", "p3c7"
  std::string label;  // printed beside the boxes
  Rect label_area;    // left of the boxes; the label is wrapped and shrunk to fit inside
  std::array<Rect, 3> boxes;
  std::array<std::array<Point, 10>, 3> bubbles;  // centres
  double bubble_radius = 0;
};

// Printed text that is not a field: titles, section headings, party names.
struct TextItem {
  Point at;         // baseline start
  double size = 3;  // font size in mm
  bool bold = false;
  std::string text;
  // The text never runs further right than this (it is printed smaller when it would): the
  // region from at.x to at.x + max_width, size above the baseline, is the text's own.
  double max_width = 0;
};

// Corner fiducial: an ArUco marker (DICT_4X4_50) with its id; the square includes the marker's
// black border. Ids 0..3 are top-left, top-right, bottom-right, bottom-left.
struct Marker {
  int id = 0;
  Rect square;
};

struct Page {
  int number = 1;  // 1-based
  std::array<Marker, 4> markers;
  Rect qr;  // where the QR code is printed (quiet zone included)
  std::vector<TextItem> texts;
  std::vector<FieldPlacement> fields;
};

enum class Paper { a4, a3 };
std::string_view paper_name(Paper p);  // "a4", "a3"
std::optional<Paper> parse_paper(std::string_view name);

// The printed geometry every template shares (mm). Boxes are 8 x 10 mm, 1 mm apart; bubble
// centres are 3.8 mm apart along a row (digits 0..9) and 3.6 mm between rows (hundreds, tens,
// units). Markers are 14 mm squares 8 mm from the page's edges; the QR code (quiet zone
// included) is a 24 mm square.
inline constexpr double kBoxWidth = 8;
inline constexpr double kBoxHeight = 10;
inline constexpr double kBoxGap = 1;
inline constexpr double kBubbleRadius = 1.6;
inline constexpr double kBubblePitchX = 3.8;
inline constexpr double kBubblePitchY = 3.6;
inline constexpr double kMarkerSize = 14;
inline constexpr double kMarkerInset = 8;
inline constexpr double kQrSize = 24;

struct Template {
  std::string id;  // "c1-<ballot>-<contest id>-v1": identifies the layout, not the TPS
  std::string tps;
  Ballot ballot = Ballot::ppwp;
  std::string contest;
  Paper paper = Paper::a4;
  double width = 210;  // mm
  double height = 297;
  std::vector<Page> pages;
};

// What the QR code on each page says: "rekap-c1/1 <template id> <tps> <ballot> <page>/<pages>".
struct QrPayload {
  std::string template_id;
  std::string tps;
  Ballot ballot = Ballot::ppwp;
  int page = 1;
  int pages = 1;
};
std::string encode_qr_payload(const QrPayload& q);
// nullopt when the text is not a rekap form's code.
std::optional<QrPayload> decode_qr_payload(std::string_view text);

// A contest's template: every field of its FormLayout exactly once, in layout order, across the
// pages. Placements depend only on the contest and the paper, never on the TPS; `tps` is empty.
Template build_contest_template(const Definition& def, int contest, Paper paper = Paper::a4);

// The template of a TPS's form for a ballot: the contest's placements with the TPS's header
// texts and code. Throws std::invalid_argument when the TPS is unknown or does not vote on the
// ballot.
Template build_template(const Definition& def, std::string_view tps_code, Ballot ballot,
                        Paper paper = Paper::a4);

}  // namespace rekap::forms
