#include <gtest/gtest.h>

#include "core/definition.hpp"
#include "ocr/decode.hpp"
#include "test_election.hpp"

namespace rekap::ocr {
namespace {

// Symbol probabilities that are sure of `s` apart from `rest` spread over the others.
SymbolProbs sure(int s, double rest = 1e-4) {
  SymbolProbs p;
  p.fill(rest / (kSymbols - 1));
  p[s] = 1.0 - rest;
  return p;
}

// A confident reading of a value, leading zeros written as crossed boxes.
std::array<SymbolProbs, 3> written(int v) {
  int h = v / 100;
  int t = v / 10 % 10;
  int u = v % 10;
  return {sure(h == 0 ? kBlank : h), sure(h == 0 && t == 0 ? kBlank : t), sure(u)};
}

struct Form {
  const Contest& contest;
  TpsParams tps;
  std::vector<std::uint32_t> truth;
  std::vector<std::array<SymbolProbs, 3>> evidence;

  Form(const std::string& contest_id, std::uint32_t voters)
      : contest(test::election().contests[test::election().find_contest(contest_id)]), tps{60, 60} {
    truth = test::valid_form(contest.layout, tps, voters);
    for (std::uint32_t v : truth) evidence.push_back(written(static_cast<int>(v)));
  }
  int field(const std::string& name) const { return contest.layout.find(name); }
  FormDecision decode(const DecodeOptions& o = {}) const {
    std::vector<FieldCosts> costs;
    for (const auto& e : evidence) costs.emplace_back(e);
    return decode_form(contest.layout, tps, std::move(costs), o);
  }
  // Gives position `pos` of a field the probabilities `p` (e.g. a doubtful digit).
  void read_as(const std::string& name, int pos, SymbolProbs p) { evidence[field(name)][pos] = p; }
};

std::vector<std::string> flagged(const Form& f, const FormDecision& d) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < d.review.size(); ++i) {
    if (d.review[i]) out.push_back(f.contest.layout.fields[i].name);
  }
  return out;
}

SymbolProbs mix(int a, double pa, int b, double pb) {
  SymbolProbs p;
  p.fill((1.0 - pa - pb) / (kSymbols - 2));
  p[a] = pa;
  p[b] = pb;
  return p;
}

TEST(OcrEvidence, LeadingZerosBlankOrWritten) {
  EXPECT_EQ(FieldCosts(written(5)).best(), 5);
  EXPECT_EQ(FieldCosts(written(17)).best(), 17);
  EXPECT_EQ(FieldCosts(written(0)).best(), 0);
  EXPECT_EQ(FieldCosts({sure(0), sure(0), sure(7)}).best(), 7);
  EXPECT_EQ(FieldCosts({sure(kBlank), sure(kBlank), sure(kBlank)}).best(), 0);
  // A blank between written digits is not a number: "1 _ 7" is read as neither 17 nor 107.
  FieldCosts gap({sure(1), sure(kBlank), sure(7)});
  EXPECT_GT(gap.cost(107), 8.0);
  EXPECT_GT(gap.cost(17), 8.0);
}

TEST(OcrEvidence, BubblesSayWhichDigit) {
  BubbleFill fill{};
  fill.fill(0.05);
  fill[4] = 0.8;
  SymbolProbs p = bubble_symbol_probs(fill);
  EXPECT_EQ(std::max_element(p.begin(), p.end()) - p.begin(), 4);
  EXPECT_GT(p[4], 0.99);
  // Nothing filled: a blank (unmarked leading zero), never a digit.
  fill[4] = 0.05;
  p = bubble_symbol_probs(fill);
  EXPECT_EQ(std::max_element(p.begin(), p.end()) - p.begin(), kBlank);
  // Bubble 0 filled beside a crossed box: both say "leading zero".
  fill[0] = 0.9;
  SymbolProbs both = combine(sure(kBlank, 1e-3), bubble_symbol_probs(fill));
  EXPECT_GT(both[kBlank], 0.99);
  // A half-filled bubble against the box: both stay plausible, for the sums to decide.
  fill[0] = 0.05;
  fill[3] = 0.38;
  SymbolProbs weak = combine(mix(8, 0.9, 3, 0.05), bubble_symbol_probs(fill));
  EXPECT_GT(weak[8], 0.1);
  EXPECT_GT(weak[3], 0.1);
  // Digits written, bubbles skipped: the box decides.
  fill.fill(0.05);
  SymbolProbs skipped = combine(mix(8, 0.98, 3, 0.01), bubble_symbol_probs(fill));
  EXPECT_GT(skipped[8], 0.9);
}

TEST(OcrEvidence, BoxAndBubblesDisagreeSumsDecide) {
  // The box says 6 (0.9) or 1 (0.09); the bubble says 1: combined, 1 wins.
  BubbleFill fill{};
  fill.fill(0.04);
  fill[1] = 0.85;
  SymbolProbs c = combine(mix(6, 0.9, 1, 0.09), bubble_symbol_probs(fill));
  EXPECT_GT(c[1], c[6]);
}

TEST(OcrDecode, CleanFormAccepted) {
  Form f("ppwp", 110);
  FormDecision d = f.decode();
  EXPECT_TRUE(d.accepted) << d.reason;
  EXPECT_EQ(d.values, f.truth);
  EXPECT_TRUE(flagged(f, d).empty());
  EXPECT_TRUE(d.violations.empty());
}

TEST(OcrDecode, MisreadCorrectedBySumsWhenDigitsAllowIt) {
  Form f("ppwp", 110);
  int c1 = f.field("c1");
  ASSERT_GE(f.truth[c1], 10u);
  int tens = static_cast<int>(f.truth[c1] / 10 % 10);
  int wrong = (tens + 6) % 10;
  // 1 misread as 7-style: the box prefers a wrong digit, but the true one keeps some weight.
  f.read_as("c1", 1, mix(wrong, 0.9, tens, 0.095));
  FormDecision d = f.decode();
  EXPECT_FALSE(d.violations.empty());  // the plain reading breaks the sums
  EXPECT_TRUE(d.accepted) << d.reason;
  EXPECT_EQ(d.values, f.truth);
  EXPECT_GT(d.correction_cost, 2.0);
}

TEST(OcrDecode, MisreadFlaggedWhenDigitsDoNotAllowIt) {
  Form f("ppwp", 110);
  int c1 = f.field("c1");
  int tens = static_cast<int>(f.truth[c1] / 10 % 10);
  int wrong = (tens + 6) % 10;
  // The box is sure of the wrong digit: only a person can say whether the paper or the reading
  // is wrong.
  f.read_as("c1", 1, sure(wrong, 1e-7));
  FormDecision d = f.decode();
  EXPECT_FALSE(d.accepted);
  auto fl = flagged(f, d);
  EXPECT_NE(std::find(fl.begin(), fl.end(), "c1"), fl.end());
  EXPECT_LT(fl.size(), 6u) << "only the fields involved are flagged";
}

TEST(OcrDecode, TwoCompensatingDoubtsAreBothFlagged) {
  Form f("ppwp", 110);
  int c1 = f.field("c1");
  int c2 = f.field("c2");
  ASSERT_GE(f.truth[c1] % 10, 1u);
  ASSERT_LE(f.truth[c2] % 10, 8u);
  int u1 = static_cast<int>(f.truth[c1] % 10);
  int u2 = static_cast<int>(f.truth[c2] % 10);
  // c1 one less and c2 one more also adds up: the sums cannot tell them apart.
  f.read_as("c1", 2, mix(u1, 0.55, u1 - 1, 0.44));
  f.read_as("c2", 2, mix(u2, 0.55, u2 + 1, 0.44));
  FormDecision d = f.decode();
  EXPECT_FALSE(d.accepted);
  EXPECT_EQ(d.values, f.truth);  // still the most probable
  EXPECT_EQ(flagged(f, d), (std::vector<std::string>{"c1", "c2"}));
}

TEST(OcrDecode, DoubtfulDigitResolvedByPartyTotal) {
  Form f("pdpr-31-2", 110);
  // A candidate's digit is a coin toss between two values; the party total settles it.
  const auto& fields = f.contest.layout.fields;
  std::string name;
  for (const auto& fl : fields) {
    if (fl.name.find('c') != std::string::npos && fl.name[0] == 'p' &&
        f.truth[f.field(fl.name)] > 0) {
      name = fl.name;
      break;
    }
  }
  ASSERT_FALSE(name.empty());
  int u = static_cast<int>(f.truth[f.field(name)] % 10);
  f.read_as(name, 2, mix(u, 0.5, (u + 1) % 10, 0.49));
  FormDecision d = f.decode();
  EXPECT_TRUE(d.accepted) << d.reason;
  EXPECT_EQ(d.values, f.truth);
}

TEST(OcrDecode, ConfidentMisreadBesideADoubtfulOneIsFlagged) {
  Form f("ppwp", 110);
  int c1 = f.field("c1");
  int c2 = f.field("c2");
  int u1 = static_cast<int>(f.truth[c1] % 10);
  int u2 = static_cast<int>(f.truth[c2] % 10);
  // c1's units read with confidence as another digit; c2's units doubtful: the doubt cannot
  // explain c1's error, so c1 must be pointed at too.
  f.read_as("c1", 2, sure((u1 + 5) % 10, 1e-7));
  f.read_as("c2", 2, mix(u2, 0.5, (u2 + 1) % 10, 0.45));
  FormDecision d = f.decode();
  EXPECT_FALSE(d.accepted);
  auto fl = flagged(f, d);
  EXPECT_NE(std::find(fl.begin(), fl.end(), "c1"), fl.end());
  EXPECT_NE(std::find(fl.begin(), fl.end(), "c2"), fl.end());
}

TEST(OcrDecode, InconsistentPaperIsNeverAccepted) {
  Form f("ppwp", 110);
  // The officer wrote a valid-votes total that does not add up, and every digit is clear.
  int sah = f.field("suara_sah");
  f.evidence[sah] = written(static_cast<int>(f.truth[sah]) + 3);
  FormDecision d = f.decode();
  EXPECT_FALSE(d.accepted);
  EXPECT_FALSE(flagged(f, d).empty());
}

TEST(OcrDecode, RegisteredVotersAreAConstraint) {
  Form f("ppwp", 110);
  // DPT 60 read as 80 (tens doubtful): the TPS's registry says 60.
  f.read_as("pemilih_dpt_l", 1, mix(8, 0.8, 6, 0.19));
  FormDecision d = f.decode();
  EXPECT_TRUE(d.accepted) << d.reason;
  EXPECT_EQ(d.values[f.field("pemilih_dpt_l")], 60u);
}

TEST(OcrDecode, UnreadableFormGoesToReview) {
  Form f("ppwp", 110);
  for (auto& e : f.evidence) {
    for (auto& pos : e) pos.fill(1.0 / kSymbols);
  }
  FormDecision d = f.decode();
  EXPECT_FALSE(d.accepted);
  EXPECT_FALSE(flagged(f, d).empty());
}

}  // namespace
}  // namespace rekap::ocr
