#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <functional>
#include <map>
#include <set>

#include "forms/template.hpp"
#include "forms/template_json.hpp"
#include "sim/geo.hpp"
#include "unit/test_election.hpp"

namespace rekap::forms {
namespace {

namespace json = boost::json;

const Definition& tiny() {
  static const Definition def = build_definition(sim::generate_geo(sim::GeoOptions{"tiny", 1}));
  return def;
}

// The contest with the most fields on a ballot.
int biggest(const Definition& def, Ballot b) {
  int best = -1;
  for (int c = 0; c < static_cast<int>(def.contests.size()); ++c) {
    if (def.contests[c].ballot != b) continue;
    if (best < 0 || def.contests[c].layout.fields.size() > def.contests[best].layout.fields.size())
      best = c;
  }
  return best;
}

std::vector<std::string> placed_fields(const Template& t) {
  std::vector<std::string> names;
  for (const Page& p : t.pages) {
    for (const FieldPlacement& f : p.fields) names.push_back(f.field);
  }
  return names;
}

std::vector<std::string> layout_fields(const Contest& c) {
  std::vector<std::string> names;
  for (const Field& f : c.layout.fields) names.push_back(f.name);
  return names;
}

// ---- geometry helpers

Rect grow(const Rect& r, double d) {
  return {r.x - d, r.y - d, r.w + 2 * d, r.h + 2 * d};
}

bool intersects(const Rect& a, const Rect& b) {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

bool inside(const Rect& r, double width, double height, double margin) {
  return r.x >= margin && r.y >= margin && r.x + r.w <= width - margin &&
         r.y + r.h <= height - margin;
}

Rect unite(const Rect& a, const Rect& b) {
  double x0 = std::min(a.x, b.x), y0 = std::min(a.y, b.y);
  double x1 = std::max(a.x + a.w, b.x + b.w), y1 = std::max(a.y + a.h, b.y + b.h);
  return {x0, y0, x1 - x0, y1 - y0};
}

// Everything a reader looks at for one field: its boxes and the bubbles' circles.
Rect marks_of(const FieldPlacement& f) {
  Rect r = f.boxes[0];
  for (const Rect& b : f.boxes) r = unite(r, b);
  for (const auto& row : f.bubbles) {
    for (const Point& c : row) {
      double rad = f.bubble_radius;
      r = unite(r, {c.x - rad, c.y - rad, 2 * rad, 2 * rad});
    }
  }
  return r;
}

// A text's own region: its width limit, from a size above the baseline to a third below.
Rect text_area(const TextItem& t) {
  return {t.at.x, t.at.y - t.size, t.max_width, t.size * 4 / 3};
}

void expect_clear_layout(const Template& t) {
  SCOPED_TRACE(t.id);
  for (const Page& page : t.pages) {
    SCOPED_TRACE("page " + std::to_string(page.number));
    std::vector<Rect> furniture;  // markers and the QR code
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(page.markers[i].id, i);
      EXPECT_EQ(page.markers[i].square.w, kMarkerSize);
      EXPECT_TRUE(inside(page.markers[i].square, t.width, t.height, kMarkerInset - 1e-9));
      furniture.push_back(page.markers[i].square);
    }
    furniture.push_back(page.qr);
    EXPECT_TRUE(inside(page.qr, t.width, t.height, 5));
    for (int i = 0; i < 5; ++i) {
      for (int j = i + 1; j < 5; ++j) EXPECT_FALSE(intersects(grow(furniture[i], 2), furniture[j]));
    }
    std::vector<Rect> marks, labels, texts;
    for (const FieldPlacement& f : page.fields) {
      SCOPED_TRACE(f.field);
      for (int i = 0; i < 3; ++i) {
        EXPECT_DOUBLE_EQ(f.boxes[i].w, 8);
        EXPECT_DOUBLE_EQ(f.boxes[i].h, 10);
        if (i) {
          EXPECT_NEAR(f.boxes[i].x - f.boxes[i - 1].x - f.boxes[i - 1].w, 1, 1e-9);
        }
        EXPECT_DOUBLE_EQ(f.boxes[i].y, f.boxes[0].y);
      }
      EXPECT_DOUBLE_EQ(f.bubble_radius, 1.6);
      for (int r = 0; r < 3; ++r) {
        for (int d = 0; d < 10; ++d) {
          EXPECT_NEAR(f.bubbles[r][d].x - f.bubbles[0][0].x, d * 3.8, 1e-6);
          EXPECT_NEAR(f.bubbles[r][d].y - f.bubbles[0][0].y, r * 3.6, 1e-6);
        }
      }
      // The bubbles sit beside the boxes, clear of them.
      EXPECT_GE(f.bubbles[0][0].x - f.bubble_radius, f.boxes[2].x + f.boxes[2].w + 2);
      EXPECT_FALSE(f.label.empty());
      marks.push_back(marks_of(f));
      labels.push_back(f.label_area);
    }
    for (const TextItem& text : page.texts) {
      EXPECT_GT(text.max_width, 0) << text.text;
      texts.push_back(text_area(text));
    }
    for (std::size_t i = 0; i < marks.size(); ++i) {
      EXPECT_TRUE(inside(marks[i], t.width, t.height, 8)) << page.fields[i].field;
      EXPECT_TRUE(inside(labels[i], t.width, t.height, 8)) << page.fields[i].field;
      for (const Rect& f : furniture) {
        EXPECT_FALSE(intersects(grow(marks[i], 2), f)) << page.fields[i].field;
        EXPECT_FALSE(intersects(labels[i], f)) << page.fields[i].field;
      }
      for (std::size_t j = 0; j < marks.size(); ++j) {
        EXPECT_FALSE(intersects(labels[i], marks[j]))
            << page.fields[i].field << " label over " << page.fields[j].field;
        if (i == j) continue;
        EXPECT_FALSE(intersects(grow(marks[i], 2), marks[j]))
            << page.fields[i].field << " within 2 mm of " << page.fields[j].field;
        EXPECT_FALSE(intersects(labels[i], labels[j]));
      }
    }
    for (std::size_t i = 0; i < texts.size(); ++i) {
      SCOPED_TRACE(page.texts[i].text);
      EXPECT_TRUE(inside(texts[i], t.width, t.height, 8));
      for (const Rect& f : furniture) EXPECT_FALSE(intersects(texts[i], f));
      for (const Rect& m : marks) EXPECT_FALSE(intersects(texts[i], m));
      for (const Rect& l : labels) EXPECT_FALSE(intersects(texts[i], l));
      for (std::size_t j = i + 1; j < texts.size(); ++j)
        EXPECT_FALSE(intersects(texts[i], texts[j]));
    }
  }
}

bool has_text(const Template& t, const std::string& s) {
  for (const Page& p : t.pages) {
    for (const TextItem& text : p.texts) {
      if (text.text == s) return true;
    }
  }
  return false;
}

// ---- tests

TEST(FormTemplate, EveryFieldOnceInLayoutOrder) {
  const Definition& def = test::election();
  const std::string tps = def.tps[0].code;
  for (Ballot b : kAllBallots) {
    for (Paper paper : {Paper::a4, Paper::a3}) {
      Template t = build_template(def, tps, b, paper);
      const Contest& c = def.contests[def.tps[0].contest[int(b)]];
      EXPECT_EQ(placed_fields(t), layout_fields(c)) << t.id;
      EXPECT_EQ(t.tps, tps);
      EXPECT_EQ(t.ballot, b);
      EXPECT_EQ(t.contest, c.id);
      EXPECT_EQ(t.id, "c1-" + std::string(ballot_id(b)) + "-" + c.id + "-v1" +
                          (paper == Paper::a3 ? "-a3" : ""));
      for (std::size_t i = 0; i < t.pages.size(); ++i) EXPECT_EQ(t.pages[i].number, int(i) + 1);
    }
  }
  for (std::size_t c = 0; c < tiny().contests.size(); ++c) {
    Template t = build_contest_template(tiny(), int(c));
    EXPECT_EQ(placed_fields(t), layout_fields(tiny().contests[c])) << t.id;
    EXPECT_TRUE(t.tps.empty());
  }
}

TEST(FormTemplate, NothingOverlapsAndAllIsOnThePage) {
  for (Paper paper : {Paper::a4, Paper::a3}) {
    for (Ballot b : kAllBallots) {
      expect_clear_layout(build_template(test::election(), test::election().tps[1].code, b, paper));
    }
    for (std::size_t c = 0; c < tiny().contests.size(); ++c) {
      expect_clear_layout(build_contest_template(tiny(), int(c), paper));
    }
  }
}

TEST(FormTemplate, PaperSizesAndMarkerCorners) {
  Template a4 = build_contest_template(tiny(), 0, Paper::a4);
  Template a3 = build_contest_template(tiny(), 0, Paper::a3);
  EXPECT_EQ(a4.width, 210);
  EXPECT_EQ(a4.height, 297);
  EXPECT_EQ(a3.width, 297);
  EXPECT_EQ(a3.height, 420);
  const auto& m = a4.pages[0].markers;
  EXPECT_EQ(m[0].square.x, 8);
  EXPECT_EQ(m[0].square.y, 8);
  EXPECT_EQ(m[1].square.x, 210 - 8 - 14);
  EXPECT_EQ(m[2].square.y, 297 - 8 - 14);
  EXPECT_EQ(m[3].square.x, 8);
  EXPECT_EQ(m[3].square.y, 297 - 8 - 14);
  EXPECT_NEAR(a4.pages[0].qr.w, 24, 1e-9);
  EXPECT_GT(a4.pages[0].qr.x, 105);  // top right
  EXPECT_LT(a4.pages[0].qr.y, 30);
}

TEST(FormTemplate, SameContestSamePlacements) {
  const Definition& def = test::election();
  // TPS 0 and 1 share a desa; TPS 0 and 2 share only the kecamatan (and so every contest).
  for (Ballot b : kAllBallots) {
    Template x = build_template(def, def.tps[0].code, b);
    Template y = build_template(def, def.tps[2].code, b);
    ASSERT_EQ(x.pages.size(), y.pages.size());
    EXPECT_EQ(x.id, y.id);
    for (std::size_t p = 0; p < x.pages.size(); ++p) {
      json::value px = template_to_json(x).at("pages").at(p);
      json::value py = template_to_json(y).at("pages").at(p);
      EXPECT_EQ(px.at("fields"), py.at("fields"));
      EXPECT_EQ(px.at("markers"), py.at("markers"));
      EXPECT_EQ(px.at("qr"), py.at("qr"));
    }
    EXPECT_TRUE(has_text(x, "TPS " + def.tps[0].code));
    EXPECT_TRUE(has_text(y, "TPS " + def.tps[2].code));
  }
}

TEST(FormTemplate, HeaderTexts) {
  const Definition& def = test::election();
  Template t = build_template(def, "3171011002001", Ballot::pdpr);
  EXPECT_TRUE(has_text(t, "MODEL C.HASIL-DPR"));
  EXPECT_TRUE(has_text(t, "Pemilu uji"));
  EXPECT_TRUE(has_text(t, "DKI Jakarta II"));
  EXPECT_TRUE(has_text(t, "TPS 3171011002001"));
  EXPECT_TRUE(has_text(t, "Provinsi: DKI JAKARTA   Kabupaten/Kota: JAKARTA SELATAN"));
  EXPECT_TRUE(has_text(t, "Kecamatan: TEBET   Desa/Kelurahan: TEBET BARAT"));
  EXPECT_TRUE(has_text(t, "Halaman 1/" + std::to_string(t.pages.size())));
  EXPECT_TRUE(has_text(t, "I. DATA PEMILIH DAN PENGGUNA HAK PILIH"));
  EXPECT_TRUE(has_text(t, "III. PEROLEHAN SUARA"));
  EXPECT_TRUE(has_text(t, "IV. JUMLAH SUARA"));
  Template p = build_template(def, "3171011002001", Ballot::ppwp);
  EXPECT_TRUE(has_text(p, "MODEL C.HASIL-PPWP"));
}

TEST(FormTemplate, VoteLabels) {
  const Definition& def = test::election();
  Template t = build_template(def, "3171011001001", Ballot::pdpr);
  std::map<std::string, std::string> labels;
  for (const Page& p : t.pages) {
    for (const FieldPlacement& f : p.fields) labels[f.field] = f.label;
  }
  EXPECT_EQ(labels["p1"], "Suara partai saja");
  EXPECT_EQ(labels["p1c2"], "2. Caleg B");
  EXPECT_EQ(labels["p2c1"], "1. Caleg C");
  EXPECT_EQ(labels["p2t"], "Jumlah suara partai");
  EXPECT_EQ(labels["pengguna_dpt_j"], "Pengguna hak pilih dalam DPT (jumlah)");
  EXPECT_EQ(labels["suara_sah"], "Jumlah suara sah");
  EXPECT_TRUE(has_text(t, "1. Partai Kebangkitan Bangsa"));
  EXPECT_TRUE(has_text(t, "2. Partai Gerakan Indonesia Raya"));
  Template p = build_template(def, "3171011001001", Ballot::ppwp);
  EXPECT_EQ(p.pages[0].fields[22].field, "c1");
  EXPECT_EQ(p.pages[0].fields[22].label, "1. Pasangan Satu");
}

TEST(FormTemplate, LongNamesAreShortened) {
  DefinitionFiles files = test::election_files();
  std::string& cands = files["candidates.csv"];
  std::string longer = "Pasangan Satu Dengan Nama Yang Sangat Amat Panjang Sekali";
  cands.replace(cands.find("Pasangan Satu"), 13, longer);
  Definition def = build_definition(files);
  Template t = build_template(def, "3171011001001", Ballot::ppwp);
  for (const Page& p : t.pages) {
    for (const FieldPlacement& f : p.fields) {
      if (f.field != "c1") continue;
      EXPECT_LT(f.label.size(), longer.size());
      EXPECT_TRUE(f.label.starts_with("1. Pasangan Satu Dengan")) << f.label;
      EXPECT_TRUE(f.label.ends_with("\u2026")) << f.label;
    }
  }
}

TEST(FormTemplate, DprContestPaginates) {
  int c = biggest(tiny(), Ballot::pdpr);
  ASSERT_GE(c, 0);
  ASSERT_GE(tiny().contests[c].parties.size(), 18u);
  Template a4 = build_contest_template(tiny(), c, Paper::a4);
  Template a3 = build_contest_template(tiny(), c, Paper::a3);
  EXPECT_GE(a4.pages.size(), 3u);
  EXPECT_LT(a3.pages.size(), a4.pages.size());
  for (const Template* t : {&a4, &a3}) {
    for (const Page& p : t->pages) {
      // Two columns: the labels start at two places across the page.
      std::set<double> columns;
      for (const FieldPlacement& f : p.fields) columns.insert(f.label_area.x);
      EXPECT_LE(columns.size(), 2u);
      EXPECT_FALSE(p.fields.empty());
      EXPECT_TRUE(has_text(
          *t, "Halaman " + std::to_string(p.number) + "/" + std::to_string(t->pages.size())));
    }
  }
  // Every party's heading is printed, and a list cut by a column repeats it.
  for (int party : tiny().contests[c].parties) {
    EXPECT_TRUE(has_text(a4, std::to_string(party) + ". " + tiny().find_party(party)->name));
  }
  bool continued = false;
  for (const Page& p : a4.pages) {
    for (const TextItem& text : p.texts) continued = continued || text.text.ends_with("(lanjutan)");
  }
  EXPECT_TRUE(continued);
}

TEST(FormTemplate, UnknownTpsOrBallot) {
  EXPECT_THROW(build_template(test::election(), "3171011001009", Ballot::ppwp),
               std::invalid_argument);
  EXPECT_THROW(build_contest_template(test::election(), 99), std::invalid_argument);
  // Voters abroad have no DPRD ballots.
  const Tps* abroad = nullptr;
  for (const Tps& t : tiny().tps) {
    if (t.code.starts_with("99")) abroad = &t;
  }
  ASSERT_NE(abroad, nullptr);
  EXPECT_NO_THROW(build_template(tiny(), abroad->code, Ballot::pdpr));
  try {
    build_template(tiny(), abroad->code, Ballot::pdprdk);
    ADD_FAILURE() << "no throw";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("does not vote on ballot pdprdk"), std::string::npos);
  }
}

TEST(FormTemplateJson, RoundTrip) {
  for (Paper paper : {Paper::a4, Paper::a3}) {
    Template t = build_template(tiny(), tiny().tps[0].code, Ballot::pdpr, paper);
    json::value v = template_to_json(t);
    Template back = template_from_json(v);
    EXPECT_EQ(template_to_json(back), v);
    EXPECT_EQ(back.id, t.id);
    EXPECT_EQ(back.paper, paper);
    EXPECT_EQ(placed_fields(back), placed_fields(t));
    // Through text too: the plain decimals read back to the same numbers.
    std::string text = format_json(v);
    EXPECT_EQ(text.find("E1"), std::string::npos);
    EXPECT_EQ(template_to_json(template_from_json(json::parse(text))), v);
  }
}

// The error message of template_from_json on `v` changed by `edit`.
std::string json_error(const std::function<void(json::object&)>& edit) {
  json::value v = template_to_json(build_template(test::election(), "3171011001001", Ballot::ppwp));
  edit(v.as_object());
  try {
    template_from_json(v);
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "no error";
}

TEST(FormTemplateJson, ErrorsNameTheKey) {
  auto page0 = [](json::object& o) -> json::object& {
    return o["pages"].as_array()[0].as_object();
  };
  auto field3 = [&](json::object& o) -> json::object& {
    return page0(o)["fields"].as_array()[3].as_object();
  };
  EXPECT_NE(json_error([](json::object& o) { o.erase("ballot"); }).find("`ballot` is missing"),
            std::string::npos);
  EXPECT_NE(json_error([](json::object& o) { o["ballot"] = "dpr"; }).find("`ballot`"),
            std::string::npos);
  EXPECT_NE(json_error([](json::object& o) { o["paper"] = "letter"; }).find("`paper`"),
            std::string::npos);
  EXPECT_NE(json_error([](json::object& o) { o["format"] = "x"; }).find("`format`"),
            std::string::npos);
  EXPECT_NE(json_error([](json::object& o) { o["widht"] = 1; }).find("`widht` is not a"),
            std::string::npos);
  EXPECT_NE(json_error([&](json::object& o) {
              field3(o)["boxes"].as_array().pop_back();
            }).find("`pages[0].fields[3].boxes` must have 3 elements"),
            std::string::npos);
  EXPECT_NE(json_error([&](json::object& o) {
              field3(o)["bubbles"].as_array()[2].as_array()[9].as_array()[1] = "x";
            }).find("`pages[0].fields[3].bubbles[2][9][1]` must be a number"),
            std::string::npos);
  EXPECT_NE(json_error([&](json::object& o) {
              page0(o)["markers"].as_array()[1].as_object()["id"] = 7;
            }).find("`pages[0].markers[1].id` must be 1"),
            std::string::npos);
  EXPECT_NE(json_error([&](json::object& o) {
              page0(o)["qr"].as_object().erase("w");
            }).find("`pages[0].qr.w` is missing"),
            std::string::npos);
  EXPECT_NE(json_error([&](json::object& o) {
              page0(o)["texts"].as_array()[0].as_object()["bold"] = 1;
            }).find("`pages[0].texts[0].bold`"),
            std::string::npos);
  EXPECT_THROW(template_from_json(json::value(3)), std::invalid_argument);
}

TEST(FormQr, RoundTrip) {
  QrPayload q{"c1-pdpr-pdpr-11-1-v1", "1101012001001", Ballot::pdpr, 2, 4};
  std::string s = encode_qr_payload(q);
  EXPECT_EQ(s, "rekap-c1/1 c1-pdpr-pdpr-11-1-v1 1101012001001 pdpr 2/4");
  auto back = decode_qr_payload(s);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->template_id, q.template_id);
  EXPECT_EQ(back->tps, q.tps);
  EXPECT_EQ(back->ballot, q.ballot);
  EXPECT_EQ(back->page, 2);
  EXPECT_EQ(back->pages, 4);
  auto a3 = decode_qr_payload("rekap-c1/1 c1-ppwp-ppwp-v1-a3 9901012001002 ppwp 1/1");
  ASSERT_TRUE(a3);
  EXPECT_EQ(a3->template_id, "c1-ppwp-ppwp-v1-a3");
}

TEST(FormQr, StrictDecode) {
  for (const char* bad : {
           "",
           "rekap-c1/1",
           "rekap-c1/2 c1-pdpr-x-v1 1101012001001 pdpr 1/1",    // another version
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/1 ",   // trailing space
           " rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/1",   // leading space
           "rekap-c1/1  c1-pdpr-x-v1 1101012001001 pdpr 1/1",   // two spaces
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/1 x",  // a sixth part
           "rekap-c1/1 c1-pdpr-x-v1 110101200100 pdpr 1/1",     // 12-digit TPS
           "rekap-c1/1 c1-pdpr-x-v1 110101200100a pdpr 1/1",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 dpr 1/1",   // unknown ballot
           "rekap-c1/1 c1-ppwp-x-v1 1101012001001 pdpr 1/1",  // id of another ballot
           "rekap-c1/1 x-pdpr-x-v1 1101012001001 pdpr 1/1",
           "rekap-c1/1 c1-pdpr- 1101012001001 pdpr 1/1",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 2/1",  // page past the last
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 0/1",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 01/1",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr +1/2",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr -0/1",  // found by tests/fuzz
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr -1/2",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/-1",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/2/3",
           "rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/100",
           "REKAP-C1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/1",
           "rekap-c1/1\tc1-pdpr-x-v1 1101012001001 pdpr 1/1",
       }) {
    EXPECT_FALSE(decode_qr_payload(bad)) << '"' << bad << '"';
  }
  EXPECT_TRUE(decode_qr_payload("rekap-c1/1 c1-pdpr-x-v1 1101012001001 pdpr 1/1"));
  EXPECT_THROW(encode_qr_payload({"c1-pdpr-x-v1", "", Ballot::pdpr, 1, 1}), std::invalid_argument);
  EXPECT_THROW(encode_qr_payload({"c1 pdpr", "1101012001001", Ballot::pdpr, 1, 1}),
               std::invalid_argument);
  EXPECT_THROW(encode_qr_payload({"c1-pdpr-x-v1", "1101012001001", Ballot::pdpr, 3, 2}),
               std::invalid_argument);
}

}  // namespace
}  // namespace rekap::forms
