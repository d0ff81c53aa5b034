#include "forms/template.hpp"

#include <cmath>
#include <stdexcept>

namespace rekap::forms {

namespace {

// Page furniture (mm). Everything but the markers keeps kEdgeMargin from the page's edges and
// kClear from the markers and the QR code.
constexpr double kEdgeMargin = 9;
constexpr double kClear = 4;
constexpr double kColumnGap = 4;
constexpr double kLabelGap = 2;        // label area to the hundreds box
constexpr double kBoxesToBubbles = 3;  // units box to the bubble grid
constexpr double kBoxesWidth = 3 * kBoxWidth + 2 * kBoxGap;
constexpr double kGridWidth = 9 * kBubblePitchX + 2 * kBubbleRadius;
constexpr double kGridHeight = 2 * kBubblePitchY + 2 * kBubbleRadius;
// Row to row: kFieldPitch - kGridHeight (2.6 mm) stays clear between fields, more than the
// 2 mm a reader needs to tell one field's marks from the next.
constexpr double kFieldPitch = 13;
constexpr double kSectionHeadingHeight = 6.5;
constexpr double kPartyHeadingHeight = 5.5;
constexpr double kBodyTop = 43;  // below the header and the instruction line
constexpr double kHeaderLeft = kMarkerInset + kMarkerSize + kClear;
constexpr std::size_t kMaxNameChars = 32;  // code points of a candidate's name on the form
constexpr double kPageLabelWidth = 30;     // "Halaman n/m", left of the QR code

double round_mm(double v) {
  return std::round(v * 1000) / 1000;
}

Rect rect(double x, double y, double w, double h) {
  return {round_mm(x), round_mm(y), round_mm(w), round_mm(h)};
}

TextItem text(double x, double y, double size, bool bold, std::string s, double max_width) {
  return {{round_mm(x), round_mm(y)}, size, bold, std::move(s), round_mm(max_width)};
}

std::string_view form_ballot_name(Ballot b) {
  switch (b) {
    case Ballot::ppwp:
      return "PPWP";
    case Ballot::pdpr:
      return "DPR";
    case Ballot::pdpd:
      return "DPD";
    case Ballot::pdprdp:
      return "DPRD PROV";
    case Ballot::pdprdk:
      return "DPRD KAB/KOTA";
  }
  throw std::invalid_argument("unknown ballot");
}

// The first `n` code points of a UTF-8 name, the last of them an ellipsis when it was longer:
// long names would otherwise shrink the label's type below what can be read.
std::string truncate_name(const std::string& name, std::size_t n) {
  std::vector<std::size_t> starts;  // where each code point begins
  for (std::size_t i = 0; i < name.size(); ++i) {
    if ((static_cast<unsigned char>(name[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  if (starts.size() <= n) return name;
  return name.substr(0, starts[n - 1]) + "\u2026";
}

// The groups the form's fields are printed under, in order.
enum class Group { pemilih, surat_suara, perolehan, jumlah };

Group group_of(const Field& f) {
  switch (f.section) {
    case Section::administrasi:
      return f.name.starts_with("ss_") ? Group::surat_suara : Group::pemilih;
    case Section::votes:
      return Group::perolehan;
    case Section::totals:
      return Group::jumlah;
  }
  throw std::invalid_argument("field " + f.name + " has no section");
}

std::string group_heading(Group g) {
  switch (g) {
    case Group::pemilih:
      return "I. DATA PEMILIH DAN PENGGUNA HAK PILIH";
    case Group::surat_suara:
      return "II. DATA SURAT SUARA";
    case Group::perolehan:
      return "III. PEROLEHAN SUARA";
    case Group::jumlah:
      return "IV. JUMLAH SUARA";
  }
  return {};
}

// A vote field's name read back into what it counts: "c<n>" a candidate of a candidate
// ballot; "p<n>" a party's party-only votes, "p<n>c<m>" its candidate m, "p<n>t" its total.
struct VoteField {
  enum class Kind { candidate, party_only, party_candidate, party_total } kind;
  int party = 0;
  int number = 0;
};

[[noreturn]] void bad_vote_field(std::string_view name) {
  throw std::invalid_argument("vote field `" + std::string(name) + "` is not c<n> or p<n>[c<m>|t]");
}

int parse_number(std::string_view s, std::string_view field) {
  if (s.empty() || s.size() > 4) bad_vote_field(field);
  int n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') bad_vote_field(field);
    n = n * 10 + (c - '0');
  }
  return n;
}

VoteField parse_vote_field(std::string_view name) {
  if (name.starts_with('c')) {
    return {VoteField::Kind::candidate, 0, parse_number(name.substr(1), name)};
  }
  if (!name.starts_with('p')) bad_vote_field(name);
  std::string_view rest = name.substr(1);
  std::size_t end = rest.find_first_not_of("0123456789");
  int party = parse_number(rest.substr(0, end), name);
  if (end == std::string_view::npos) return {VoteField::Kind::party_only, party, 0};
  if (rest.substr(end) == "t") return {VoteField::Kind::party_total, party, 0};
  if (rest[end] != 'c') bad_vote_field(name);
  return {VoteField::Kind::party_candidate, party, parse_number(rest.substr(end + 1), name)};
}

const Candidate& find_candidate(const Contest& c, int party, int number) {
  for (const auto& cand : c.candidates) {
    if (cand.party == party && cand.number == number) return cand;
  }
  throw std::invalid_argument("contest " + c.id + " has no candidate " + std::to_string(number) +
                              (party ? " of party " + std::to_string(party) : ""));
}

std::string party_heading(const Definition& def, int number) {
  const Party* p = def.find_party(number);
  if (!p) throw std::invalid_argument("no party " + std::to_string(number));
  return std::to_string(number) + ". " + p->name;
}

std::string field_label(const Contest& c, const Field& f) {
  if (f.section != Section::votes) return f.label;
  VoteField v = parse_vote_field(f.name);
  switch (v.kind) {
    case VoteField::Kind::candidate:
    case VoteField::Kind::party_candidate:
      return std::to_string(v.number) + ". " +
             truncate_name(find_candidate(c, v.party, v.number).name, kMaxNameChars);
    case VoteField::Kind::party_only:
      return "Suara partai saja";
    case VoteField::Kind::party_total:
      return "Jumlah suara partai";
  }
  return f.label;
}

// What flows down the columns: headings and fields, in layout order.
struct Item {
  enum class Kind { section, party, field } kind;
  std::string text;  // headings
  int field = -1;    // fields
};

std::vector<Item> items_of(const Definition& def, const Contest& c) {
  std::vector<Item> items;
  std::optional<Group> group;
  for (std::size_t i = 0; i < c.layout.fields.size(); ++i) {
    const Field& f = c.layout.fields[i];
    Group g = group_of(f);
    if (g != group) items.push_back({Item::Kind::section, group_heading(g), -1});
    group = g;
    if (f.section == Section::votes) {
      VoteField v = parse_vote_field(f.name);
      if (v.kind == VoteField::Kind::party_only) {
        items.push_back({Item::Kind::party, party_heading(def, v.party), -1});
      }
    }
    items.push_back({Item::Kind::field, {}, static_cast<int>(i)});
  }
  return items;
}

struct PaperSize {
  double width;
  double height;
};

PaperSize paper_size(Paper p) {
  return p == Paper::a3 ? PaperSize{297, 420} : PaperSize{210, 297};
}

// Pours the items down two columns per page, page after page. A heading never ends a column:
// it moves on with the field below it. A column that starts inside a section or a party's
// list repeats their headings, marked "(lanjutan)", so every page can be read on its own.
class Flow {
 public:
  Flow(const Contest& c, PaperSize paper) : contest_(c) {
    column_width_ = (paper.width - 2 * kEdgeMargin - kColumnGap) / 2;
    bottom_ = paper.height - kMarkerInset - kMarkerSize - kClear;
    label_width_ = column_width_ - kLabelGap - kBoxesWidth - kBoxesToBubbles - kGridWidth;
    new_page();
  }

  void add(const Item& item) {
    switch (item.kind) {
      case Item::Kind::section:
        section_ = item.text;
        party_.clear();
        if (!fits_heading(kSectionHeadingHeight)) next_column();
        put_heading(section_, kSectionHeadingHeight, 3.2);
        break;
      case Item::Kind::party:
        party_ = item.text;
        if (!fits_heading(kPartyHeadingHeight)) {
          next_column();
          put_heading(section_ + " (lanjutan)", kSectionHeadingHeight, 3.2);
        }
        put_heading(party_, kPartyHeadingHeight, 2.9);
        break;
      case Item::Kind::field:
        field(item.field);
        break;
    }
  }

  std::vector<Page> pages() && { return std::move(pages_); }

 private:
  double x() const { return kEdgeMargin + column_ * (column_width_ + kColumnGap); }

  void new_page() {
    pages_.push_back({});
    pages_.back().number = static_cast<int>(pages_.size());
    column_ = 0;
    y_ = kBodyTop;
  }

  void next_column() {
    if (column_ == 1) {
      new_page();
    } else {
      column_ = 1;
      y_ = kBodyTop;
    }
  }

  void put_heading(const std::string& s, double height, double size) {
    pages_.back().texts.push_back(text(x(), y_ + height - 2, size, true, s, column_width_));
    y_ += height;
  }

  // A heading and the field below it.
  bool fits_heading(double height) const { return y_ + height + kGridHeight <= bottom_; }

  void field(int index) {
    if (y_ + kGridHeight > bottom_) {
      next_column();
      if (!section_.empty()) put_heading(section_ + " (lanjutan)", kSectionHeadingHeight, 3.2);
      if (!party_.empty()) put_heading(party_ + " (lanjutan)", kPartyHeadingHeight, 2.9);
    }
    const Field& f = contest_.layout.fields[index];
    FieldPlacement p;
    p.field = f.name;
    p.label = field_label(contest_, f);
    p.label_area = rect(x(), y_, label_width_, kGridHeight);
    double bx = x() + label_width_ + kLabelGap;
    double by = y_ + (kGridHeight - kBoxHeight) / 2;
    for (int i = 0; i < 3; ++i) {
      p.boxes[i] = rect(bx + i * (kBoxWidth + kBoxGap), by, kBoxWidth, kBoxHeight);
    }
    double gx = bx + kBoxesWidth + kBoxesToBubbles + kBubbleRadius;
    for (int r = 0; r < 3; ++r) {
      for (int d = 0; d < 10; ++d) {
        p.bubbles[r][d] = {round_mm(gx + d * kBubblePitchX),
                           round_mm(y_ + kBubbleRadius + r * kBubblePitchY)};
      }
    }
    p.bubble_radius = kBubbleRadius;
    pages_.back().fields.push_back(std::move(p));
    y_ += kFieldPitch;
  }

  const Contest& contest_;
  double column_width_ = 0;
  double label_width_ = 0;
  double bottom_ = 0;
  std::vector<Page> pages_;
  int column_ = 0;
  double y_ = 0;
  std::string section_;
  std::string party_;
};

// Markers, the QR code's square and the header lines every page of a contest's form carries.
void add_furniture(const Definition& def, const Contest& c, PaperSize paper, Page& page,
                   int pages) {
  double far_x = paper.width - kMarkerInset - kMarkerSize;
  double far_y = paper.height - kMarkerInset - kMarkerSize;
  page.markers = {Marker{0, rect(kMarkerInset, kMarkerInset, kMarkerSize, kMarkerSize)},
                  Marker{1, rect(far_x, kMarkerInset, kMarkerSize, kMarkerSize)},
                  Marker{2, rect(far_x, far_y, kMarkerSize, kMarkerSize)},
                  Marker{3, rect(kMarkerInset, far_y, kMarkerSize, kMarkerSize)}};
  page.qr = rect(far_x - kClear - kQrSize, kMarkerInset, kQrSize, kQrSize);
  double header_width = page.qr.x - kClear - kHeaderLeft;
  double page_label_x = page.qr.x - kClear - kPageLabelWidth;
  // Baselines from 13 mm (the title, level with marker 0) to 39.5 mm (the instruction, below
  // the QR code, across the page); tps_texts fills the lines between 21.5 and 39.5.
  std::vector<TextItem> header = {
      text(kHeaderLeft, 13, 4.5, true, "MODEL C.HASIL-" + std::string(form_ballot_name(c.ballot)),
           page_label_x - kClear - kHeaderLeft),
      text(page_label_x, 13, 3.2, true,
           "Halaman " + std::to_string(page.number) + "/" + std::to_string(pages), kPageLabelWidth),
      text(kHeaderLeft, 17.5, 3, false, def.election_name, header_width),
      text(kHeaderLeft, 21.5, 3, true, c.name, header_width),
      text(kEdgeMargin, 39.5, 2.5, false,
           "Tulis angka dengan jelas di kotak, rata kanan; beri tanda X pada kotak di depan "
           "angka; hitamkan satu bulatan per kolom",
           paper.width - 2 * kEdgeMargin),
  };
  page.texts.insert(page.texts.begin(), header.begin(), header.end());
}

// The TPS's own header lines: its code and where it is.
std::vector<TextItem> tps_texts(const Definition& def, const Tps& tps, const Page& page) {
  std::string names[6];
  for (int r = tps.region; r > 0; r = def.regions[r].parent) {
    names[static_cast<int>(def.regions[r].level)] = def.regions[r].name;
  }
  auto name = [&](Level l) { return names[static_cast<int>(l)]; };
  double width = page.qr.x - kClear - kHeaderLeft;
  return {
      text(kHeaderLeft, 25.7, 3.2, true, "TPS " + tps.code, width),
      text(kHeaderLeft, 29.7, 2.8, false,
           "Provinsi: " + name(Level::province) + "   Kabupaten/Kota: " + name(Level::kabkota),
           width),
      text(kHeaderLeft, 33.7, 2.8, false,
           "Kecamatan: " + name(Level::kecamatan) + "   Desa/Kelurahan: " + name(Level::desa),
           width),
  };
}

}  // namespace

std::string_view paper_name(Paper p) {
  return p == Paper::a3 ? "a3" : "a4";
}

std::optional<Paper> parse_paper(std::string_view name) {
  if (name == "a4") return Paper::a4;
  if (name == "a3") return Paper::a3;
  return std::nullopt;
}

Template build_contest_template(const Definition& def, int contest, Paper paper) {
  if (contest < 0 || contest >= static_cast<int>(def.contests.size())) {
    throw std::invalid_argument("no contest with index " + std::to_string(contest));
  }
  const Contest& c = def.contests[contest];
  PaperSize size = paper_size(paper);
  Template t;
  t.id = "c1-" + std::string(ballot_id(c.ballot)) + "-" + c.id + "-v1" +
         (paper == Paper::a3 ? "-a3" : "");
  t.ballot = c.ballot;
  t.contest = c.id;
  t.paper = paper;
  t.width = size.width;
  t.height = size.height;
  try {
    Flow flow(c, size);
    for (const Item& item : items_of(def, c)) flow.add(item);
    t.pages = std::move(flow).pages();
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument("form of contest " + c.id + ": " + e.what());
  }
  for (Page& page : t.pages) add_furniture(def, c, size, page, static_cast<int>(t.pages.size()));
  return t;
}

Template build_template(const Definition& def, std::string_view tps_code, Ballot ballot,
                        Paper paper) {
  int t = def.find_tps(tps_code);
  if (t < 0) throw std::invalid_argument("unknown TPS " + std::string(tps_code));
  const Tps& tps = def.tps[t];
  int contest = tps.contest[static_cast<int>(ballot)];
  if (contest < 0) {
    throw std::invalid_argument("TPS " + tps.code + " does not vote on ballot " +
                                std::string(ballot_id(ballot)));
  }
  Template form = build_contest_template(def, contest, paper);
  form.tps = tps.code;
  for (Page& page : form.pages) {
    auto lines = tps_texts(def, tps, page);
    page.texts.insert(page.texts.end(), lines.begin(), lines.end());
  }
  return form;
}

}  // namespace rekap::forms
