#include "ocr/evidence.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace rekap::ocr {

namespace {

// No reading is ever taken as certain: a probability floor keeps every symbol reachable by the
// form's arithmetic, at a high cost.
constexpr double kFloor = 1e-6;

// Log-odds that a bubble is filled given its dark share: printed outlines and the light digit
// inside an empty bubble stay well under the midpoint, a pen fill goes well over it.
constexpr double kFillMidpoint = 0.35;
constexpr double kFillSlope = 18.0;
constexpr double kFillMaxLogOdds = 7.0;
// Officers sometimes write the digits and skip the bubbles: an empty column then says little
// against the written digit.
constexpr double kSkippedColumn = 0.05;

SymbolProbs normalised(SymbolProbs p) {
  for (double& x : p) x = std::max(x, kFloor);
  double sum = std::accumulate(p.begin(), p.end(), 0.0);
  for (double& x : p) x /= sum;
  return p;
}

}  // namespace

SymbolProbs bubble_symbol_probs(const BubbleFill& fill) {
  // Likelihood of the column for each symbol, relative to a column with nothing marked.
  SymbolProbs p{};
  for (int d = 0; d < 10; ++d) {
    double log_odds =
        std::clamp(kFillSlope * (fill[d] - kFillMidpoint), -kFillMaxLogOdds, kFillMaxLogOdds);
    p[d] = std::exp(log_odds) + kSkippedColumn;
  }
  // A blank box stands for a leading zero, marked with bubble 0 or with nothing at all.
  p[kBlank] = std::max(p[0], 1.0);
  return normalised(p);
}

SymbolProbs combine(const SymbolProbs& box, const SymbolProbs& bubbles) {
  SymbolProbs a = normalised(box);
  SymbolProbs b = normalised(bubbles);
  SymbolProbs out{};
  for (int s = 0; s < kSymbols; ++s) out[s] = a[s] * b[s];
  return normalised(out);
}

FieldCosts::FieldCosts(const std::array<SymbolProbs, 3>& positions) {
  std::array<SymbolProbs, 3> p;
  for (int i = 0; i < 3; ++i) p[i] = normalised(positions[i]);
  const SymbolProbs& h = p[0];
  const SymbolProbs& t = p[1];
  const SymbolProbs& u = p[2];
  double lead_h = h[0] + h[kBlank];
  double lead_t = t[0] + t[kBlank];
  for (int v = 0; v <= kMaxFieldValue; ++v) {
    int hd = v / 100;
    int td = v / 10 % 10;
    int ud = v % 10;
    double prob;
    if (hd > 0) {
      prob = h[hd] * t[td] * u[ud];
    } else if (td > 0) {
      prob = lead_h * t[td] * u[ud];
    } else {
      prob = lead_h * lead_t * u[ud];
      if (v == 0) prob += h[kBlank] * t[kBlank] * u[kBlank];
    }
    cost_[v] = -std::log(prob);
  }
  summarise();
}

void FieldCosts::summarise() {
  best_ = static_cast<int>(std::min_element(cost_.begin(), cost_.end()) - cost_.begin());
  runner_up_cost_ = kImpossible;
  for (int v = 0; v <= kMaxFieldValue; ++v) {
    if (v != best_) runner_up_cost_ = std::min(runner_up_cost_, cost_[v]);
  }
}

void FieldCosts::limit(int max_value) {
  for (int v = std::max(max_value + 1, 0); v <= kMaxFieldValue; ++v) cost_[v] = kImpossible;
  summarise();
}

Reading FieldCosts::reading() const {
  double sum = 0;
  for (double c : cost_) {
    if (c != kImpossible) sum += std::exp(best_cost() - c);
  }
  return {best_, sum > 0 ? 1.0 / sum : 0.0};
}

std::vector<int> FieldCosts::candidates(double budget) const {
  std::vector<int> out;
  double limit = best_cost() + budget;
  for (int v = 0; v <= kMaxFieldValue; ++v) {
    if (cost_[v] <= limit) out.push_back(v);
  }
  std::stable_sort(out.begin(), out.end(), [&](int a, int b) { return cost_[a] < cost_[b]; });
  return out;
}

}  // namespace rekap::ocr
