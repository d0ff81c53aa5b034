// Putting a form's pages together (ocr/form_assembly) from made-up page readings: no photos and
// no digit model, only the rules of a whole form.
#include <gtest/gtest.h>

#include "forms/template.hpp"
#include "ocr/form_assembly.hpp"
#include "sim/votes.hpp"
#include "test_election.hpp"

namespace rekap::ocr {
namespace {

const std::string kTps = "3171011001002";
const std::string kOtherTps = "3171011001001";  // same desa: the same contests and templates

// A ballot whose form has several pages in the test election.
Ballot multi_page_ballot() {
  for (Ballot b : kAllBallots) {
    if (forms::build_template(test::election(), kTps, b).pages.size() >= 2) return b;
  }
  throw std::logic_error("the test election has no form of several pages");
}

// The simulator's true numbers for a TPS's form.
std::vector<std::uint32_t> truth(const std::string& tps, Ballot b) {
  const Definition& def = test::election();
  return sim::tps_values(def, def.find_tps(tps), b, 7);
}

// What the reader makes of a sharp photo of page `p` (1-based) of the form filled in with its
// true numbers: every digit certain in its box and its bubble column.
PageRead page_read(const std::string& tps, Ballot b, int p) {
  const Definition& def = test::election();
  forms::Template t = forms::build_template(def, tps, b);
  int contest = def.tps[def.find_tps(tps)].contest[int(b)];
  const FormLayout& layout = def.contests[contest].layout;
  std::vector<std::uint32_t> values = truth(tps, b);
  PageRead page;
  page.qr = {t.id, tps, b, p, int(t.pages.size())};
  page.contest = contest;
  for (const forms::FieldPlacement& placement : t.pages[std::size_t(p - 1)].fields) {
    FieldRead f;
    f.field = layout.find(placement.field);
    std::uint32_t v = values[std::size_t(f.field)];
    int digits[3] = {int(v / 100), int(v / 10 % 10), int(v % 10)};
    for (int i = 0; i < 3; ++i) {
      f.box[i].fill(0.001);
      f.box[i][digits[i]] = 0.99;
      f.bubbles[i].fill(0.02);
      f.bubbles[i][digits[i]] = 0.9;
    }
    page.fields.push_back(f);
  }
  return page;
}

std::string refusal_of(const AssembledForm& a) {
  EXPECT_FALSE(a.form);
  if (!a.refusal) return "none";
  EXPECT_EQ(a.refusal->kind(), ReadError::Kind::wrong_page);
  return a.refusal->what();
}

TEST(FormAssembly, PagesGivenOutOfOrderAreReadInPageOrder) {
  Ballot b = multi_page_ballot();
  int pages = int(forms::build_template(test::election(), kTps, b).pages.size());
  std::vector<PhotoPage> given;
  std::vector<std::string> in_order;
  for (int p = pages; p >= 1; --p) {
    given.push_back({page_read(kTps, b, p), "page-" + std::to_string(p) + ".jpg"});
  }
  for (int p = 1; p <= pages; ++p) in_order.push_back("page-" + std::to_string(p) + ".jpg");

  AssembledForm a = assemble_form(test::election(), std::move(given));
  ASSERT_FALSE(a.refusal) << a.refusal->what();
  ASSERT_TRUE(a.form);
  EXPECT_EQ(a.images, in_order);
  for (int p = 0; p < pages; ++p) EXPECT_EQ(a.form->pages[std::size_t(p)].qr.page, p + 1);
  EXPECT_EQ(a.form->tps, kTps);
  EXPECT_EQ(a.form->ballot, b);
  EXPECT_EQ(a.form->decision.values, truth(kTps, b));
  EXPECT_TRUE(a.form->decision.accepted) << a.form->decision.reason;
}

TEST(FormAssembly, AMissingPageRefusesEveryPhoto) {
  Ballot b = multi_page_ballot();
  AssembledForm a = assemble_form(test::election(), {{page_read(kTps, b, 2), "two.jpg"}});
  int pages = int(forms::build_template(test::election(), kTps, b).pages.size());
  EXPECT_EQ(refusal_of(a), "page 1 of " + std::to_string(pages) + " is missing");
  EXPECT_EQ(a.images, std::vector<std::string>{"two.jpg"});
}

TEST(FormAssembly, PagesOfAnotherTpsAreRefused) {
  Ballot b = multi_page_ballot();
  AssembledForm a = assemble_form(test::election(), {{page_read(kOtherTps, b, 2), "other.jpg"},
                                                     {page_read(kTps, b, 1), "one.jpg"}});
  EXPECT_EQ(refusal_of(a), "page 2 is of TPS " + kOtherTps + " " + std::string(ballot_id(b)) +
                               ", not of TPS " + kTps + " " + std::string(ballot_id(b)));
  EXPECT_EQ(a.images, (std::vector<std::string>{"one.jpg", "other.jpg"}));
}

TEST(FormAssembly, PagesOfAnotherBallotAreRefused) {
  Ballot b = multi_page_ballot();
  AssembledForm a = assemble_form(
      test::election(),
      {{page_read(kTps, b, 1), "one.jpg"}, {page_read(kTps, Ballot::ppwp, 1), "ppwp.jpg"}});
  EXPECT_NE(refusal_of(a).find("is of TPS " + kTps + " ppwp, not of TPS"), std::string::npos);
}

TEST(FormAssembly, APageGivenTwiceIsRefusedAndPhotosKeepTheirOrder) {
  Ballot b = multi_page_ballot();
  AssembledForm a = assemble_form(test::election(), {{page_read(kTps, b, 2), "two.jpg"},
                                                     {page_read(kTps, b, 1), "first.jpg"},
                                                     {page_read(kTps, b, 1), "again.jpg"}});
  EXPECT_EQ(refusal_of(a), "page 1 was given twice");
  EXPECT_EQ(a.images, (std::vector<std::string>{"first.jpg", "again.jpg", "two.jpg"}));
}

TEST(FormAssembly, NoPagesIsNoForm) {
  AssembledForm a = assemble_form(test::election(), {});
  EXPECT_EQ(refusal_of(a), "no pages");
  EXPECT_TRUE(a.images.empty());
}

TEST(FormAssembly, APageOfAnotherFormThanTheOneEnteredIsRefused) {
  PageRead page = page_read(kTps, Ballot::ppwp, 1);
  EXPECT_NO_THROW(expect_form(page, kTps, Ballot::ppwp));
  EXPECT_NO_THROW(expect_form(page, "", std::nullopt));
  try {
    expect_form(page, kOtherTps, std::nullopt);
    FAIL() << "a page of another TPS was taken";
  } catch (const ReadError& e) {
    EXPECT_EQ(e.kind(), ReadError::Kind::wrong_page);
    EXPECT_EQ(std::string(e.what()),
              "this is the form of TPS " + kTps + ", not of TPS " + kOtherTps);
  }
  try {
    expect_form(page, "", Ballot::pdpd);
    FAIL() << "a page of another ballot was taken";
  } catch (const ReadError& e) {
    EXPECT_EQ(std::string(e.what()), "this is the ppwp form, not the pdpd form");
  }
}

}  // namespace
}  // namespace rekap::ocr
