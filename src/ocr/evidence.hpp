#pragma once
// What the photo says about one number: for each of its three positions, how likely each symbol
// is according to the digit box (CNN) and to the bubble column, and from both the cost
// (-ln probability) of every value 0..999 the field could hold. Pure arithmetic, no images.
#include <array>
#include <cstdint>
#include <limits>
#include <vector>

namespace rekap::ocr {

inline constexpr int kBlank = 10;    // symbol index for a blank or crossed box / no bubble
inline constexpr int kSymbols = 11;  // digits 0..9 and blank
inline constexpr int kMaxFieldValue = 999;
inline constexpr double kImpossible = std::numeric_limits<double>::infinity();

// Probabilities over the 11 symbols (they need not sum to 1; they are normalised).
using SymbolProbs = std::array<double, kSymbols>;

// What one position's bubble column shows: the dark share of each of its ten bubbles.
using BubbleFill = std::array<double, 10>;

// How much a bubble column says for each symbol, as probabilities: a filled bubble d supports
// digit d; a column with nothing filled supports a blank (a leading zero left unmarked).
SymbolProbs bubble_symbol_probs(const BubbleFill& fill);

// Digit-box and bubble evidence combined, position by position (independent readings).
SymbolProbs combine(const SymbolProbs& box, const SymbolProbs& bubbles);

// The most likely value from one reading alone (the "two readings" reported per field).
struct Reading {
  int value = 0;
  double confidence = 0;  // probability of that value under this reading alone
};

// The cost of every value of a field given its three positions' symbol probabilities. Leading
// zeros may be written as 0 or left blank/crossed; a blank after a written digit is not a number.
class FieldCosts {
 public:
  FieldCosts() { cost_.fill(kImpossible); }
  explicit FieldCosts(const std::array<SymbolProbs, 3>& positions);

  double cost(int value) const {
    return value < 0 || value > kMaxFieldValue ? kImpossible : cost_[value];
  }
  // The cheapest value and the cheapest other value.
  int best() const { return best_; }
  double best_cost() const { return cost_[best_]; }
  double runner_up_cost() const { return runner_up_cost_; }
  Reading reading() const;
  // Values whose cost exceeds the best by at most `budget`, cheapest first.
  std::vector<int> candidates(double budget) const;
  // Values above `max_value` become impossible (the TPS's bound).
  void limit(int max_value);

 private:
  void summarise();
  std::array<double, kMaxFieldValue + 1> cost_{};
  int best_ = 0;
  double runner_up_cost_ = kImpossible;
};

}  // namespace rekap::ocr
