#include "ocr/decode.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

namespace rekap::ocr {

namespace {

// A constraint as sum(coef * value) + constant == 0 (or <= 0).
struct Linear {
  std::vector<Term> terms;
  std::int64_t constant = 0;
  bool equality = true;
};

// One step of the search, in a fixed order worked out before searching: try each likely value
// of a field, compute a field that an equality now determines, or check a closed constraint.
struct Step {
  enum class Kind { branch, derive, check } kind;
  int field = -1;
  int constraint = -1;
  // Equalities still open before this step, for the lower bound on what is left to pay.
  std::vector<int> open;
};

// For an open equality at a step: the fields still unset, what their cheapest values add, and
// the least any of them costs to move off its cheapest value.
struct OpenSummary {
  std::int64_t cheapest_sum = 0;
  double cheapest_move = kImpossible;
};

struct Solution {
  double cost = 0;
  std::vector<std::uint32_t> values;
};

class Search {
 public:
  Search(const FormLayout& layout, const TpsParams& tps, std::vector<FieldCosts>& costs,
         const DecodeOptions& options)
      : costs_(costs), options_(options), n_(static_cast<int>(layout.fields.size())) {
    for (const Constraint& c : layout.constraints) {
      Linear lin;
      lin.terms = c.lhs;
      lin.equality = c.op == Constraint::Op::eq;
      if (c.rhs_field >= 0) {
        lin.terms.push_back({c.rhs_field, -1});
      } else {
        lin.constant = -tps.value(c.rhs_param);
      }
      // A bound on a single field is applied to its costs directly.
      if (!lin.equality && lin.terms.size() == 1 && lin.terms[0].coef == 1) {
        costs_[lin.terms[0].field].limit(static_cast<int>(-lin.constant));
        continue;
      }
      linear_.push_back(std::move(lin));
    }
    double window = options_.max_correction + options_.margin;
    for (const FieldCosts& fc : costs_) candidates_.push_back(fc.candidates(window));
    uses_.resize(n_);
    for (int c = 0; c < static_cast<int>(linear_.size()); ++c) {
      for (const Term& t : linear_[c].terms) uses_[t.field].push_back({c, t.coef});
    }
    plan();
  }

  void run() {
    values_.assign(n_, 0);
    residual_.assign(linear_.size(), 0);
    for (std::size_t c = 0; c < linear_.size(); ++c) residual_[c] = linear_[c].constant;
    visit(0, 0.0);
  }

  const std::vector<Solution>& solutions() const { return solutions_; }
  std::size_t nodes() const { return nodes_; }
  bool exhausted() const { return nodes_ >= options_.node_limit; }

 private:
  double excess(int field, int value) const {
    return costs_[field].cost(value) - costs_[field].best_cost();
  }

  // Orders the fields so that equalities close as early as possible: each branch picks a field
  // of the open equality with the fewest unset fields, and every equality left with a single
  // unset field then determines it.
  void plan() {
    std::vector<bool> set(n_, false);
    std::vector<bool> done(linear_.size(), false);
    auto unset_count = [&](int c) {
      int k = 0;
      for (const Term& t : linear_[c].terms) k += set[t.field] ? 0 : 1;
      return k;
    };
    int remaining = n_;
    auto open_now = [&] {
      std::vector<int> open;
      for (int c = 0; c < static_cast<int>(linear_.size()); ++c) {
        if (!done[c] && linear_[c].equality && unset_count(c) > 0) open.push_back(c);
      }
      return open;
    };
    auto settle = [&] {
      for (bool changed = true; changed;) {
        changed = false;
        for (int c = 0; c < static_cast<int>(linear_.size()); ++c) {
          if (done[c]) continue;
          int unset = unset_count(c);
          if (unset == 0) {
            steps_.push_back({Step::Kind::check, -1, c, {}});
            done[c] = true;
            changed = true;
          } else if (unset == 1 && linear_[c].equality) {
            for (const Term& t : linear_[c].terms) {
              if (set[t.field] || std::abs(t.coef) != 1) continue;
              steps_.push_back({Step::Kind::derive, t.field, c, open_now()});
              set[t.field] = true;
              --remaining;
              done[c] = true;
              changed = true;
              break;
            }
          }
        }
      }
    };
    settle();
    while (remaining > 0) {
      int pick = -1;
      int pick_unset = 1 << 30;
      for (int c = 0; c < static_cast<int>(linear_.size()); ++c) {
        if (done[c] || !linear_[c].equality) continue;
        int unset = unset_count(c);
        if (unset < 2 || unset >= pick_unset) continue;
        for (const Term& t : linear_[c].terms) {
          if (!set[t.field]) {
            pick = t.field;
            pick_unset = unset;
            break;
          }
        }
      }
      if (pick < 0) {
        for (int f = 0; f < n_; ++f) {
          if (!set[f]) {
            pick = f;
            break;
          }
        }
      }
      steps_.push_back({Step::Kind::branch, pick, -1, open_now()});
      set[pick] = true;
      --remaining;
      settle();
    }
    // Summaries of the open equalities at each step depend only on the plan.
    std::vector<bool> unset(n_, true);
    summaries_.resize(steps_.size());
    for (std::size_t s = 0; s < steps_.size(); ++s) {
      for (int c : steps_[s].open) {
        OpenSummary sum;
        for (const Term& t : linear_[c].terms) {
          if (!unset[t.field]) continue;
          const FieldCosts& fc = costs_[t.field];
          sum.cheapest_sum += std::int64_t{t.coef} * fc.best();
          sum.cheapest_move = std::min(sum.cheapest_move, fc.runner_up_cost() - fc.best_cost());
        }
        summaries_[s].push_back(sum);
      }
      if (steps_[s].field >= 0) unset[steps_[s].field] = false;
    }
  }

  // What the rest must cost at least: an open equality that the cheapest values of its unset
  // fields do not satisfy needs one of them to move.
  double lower_bound(std::size_t s) const {
    double lb = 0;
    const auto& open = steps_[s].open;
    for (std::size_t i = 0; i < open.size(); ++i) {
      const OpenSummary& sum = summaries_[s][i];
      if (residual_[open[i]] + sum.cheapest_sum != 0) lb = std::max(lb, sum.cheapest_move);
    }
    return lb;
  }

  double bound() const {
    double b = options_.max_correction + options_.margin;
    if (!solutions_.empty()) b = std::min(b, solutions_.front().cost + options_.margin);
    if (solutions_.size() >= options_.max_alternatives) b = std::min(b, solutions_.back().cost);
    return b;
  }

  void assign(int field, int value) {
    values_[field] = static_cast<std::uint32_t>(value);
    for (const auto& [c, coef] : uses_[field]) residual_[c] += std::int64_t{coef} * value;
  }
  void unassign(int field) {
    for (const auto& [c, coef] : uses_[field]) residual_[c] -= std::int64_t{coef} * values_[field];
    values_[field] = 0;
  }

  void record(double cost) {
    Solution s{cost, values_};
    auto at = std::upper_bound(solutions_.begin(), solutions_.end(), cost,
                               [](double c, const Solution& x) { return c < x.cost; });
    solutions_.insert(at, std::move(s));
    if (solutions_.size() > options_.max_alternatives) solutions_.pop_back();
  }

  void visit(std::size_t s, double acc) {
    if (++nodes_ >= options_.node_limit) return;
    if (s == steps_.size()) {
      record(acc);
      return;
    }
    if (acc + lower_bound(s) >= bound()) return;
    const Step& step = steps_[s];
    switch (step.kind) {
      case Step::Kind::branch: {
        for (int v : candidates_[step.field]) {
          double next = acc + excess(step.field, v);
          if (next >= bound()) break;
          assign(step.field, v);
          visit(s + 1, next);
          unassign(step.field);
          if (exhausted()) return;
        }
        return;
      }
      case Step::Kind::derive: {
        int coef = 0;
        for (const Term& t : linear_[step.constraint].terms) {
          if (t.field == step.field) coef = t.coef;
        }
        // The residual holds every other term now; the field must cancel it.
        std::int64_t rest = residual_[step.constraint];
        std::int64_t value = coef == 1 ? -rest : rest;
        if (value < 0 || value > kMaxFieldValue) return;
        double next = acc + excess(step.field, static_cast<int>(value));
        if (next >= bound()) return;
        assign(step.field, static_cast<int>(value));
        visit(s + 1, next);
        unassign(step.field);
        return;
      }
      case Step::Kind::check: {
        std::int64_t r = residual_[step.constraint];
        bool ok = linear_[step.constraint].equality ? r == 0 : r <= 0;
        if (ok) visit(s + 1, acc);
        return;
      }
    }
  }

  std::vector<FieldCosts>& costs_;
  const DecodeOptions& options_;
  int n_;
  std::vector<Linear> linear_;
  std::vector<std::vector<int>> candidates_;  // per field, cheapest first
  std::vector<std::vector<std::pair<int, int>>> uses_;
  std::vector<Step> steps_;
  std::vector<std::vector<OpenSummary>> summaries_;
  std::vector<std::uint32_t> values_;
  std::vector<std::int64_t> residual_;
  std::vector<Solution> solutions_;
  std::size_t nodes_ = 0;
};

// A field whose next likeliest value is within the margin: its own reading is doubtful.
bool doubtful(const FieldCosts& c, const DecodeOptions& o) {
  return c.runner_up_cost() - c.best_cost() < o.margin;
}

// Marks every field of every constraint that `values` break.
void mark_broken_rules(const FormLayout& layout, const TpsParams& tps,
                       const std::vector<std::uint32_t>& values, std::vector<bool>& review) {
  for (const Constraint& c : layout.constraints) {
    std::int64_t lhs = 0;
    for (const Term& t : c.lhs) lhs += std::int64_t{t.coef} * values[t.field];
    std::int64_t rhs =
        c.rhs_field >= 0 ? std::int64_t{values[c.rhs_field]} : tps.value(c.rhs_param);
    if (c.op == Constraint::Op::eq ? lhs == rhs : lhs <= rhs) continue;
    for (const Term& t : c.lhs) review[t.field] = true;
    if (c.rhs_field >= 0) review[c.rhs_field] = true;
  }
}

}  // namespace

FormDecision decode_form(const FormLayout& layout, const TpsParams& tps,
                         std::vector<FieldCosts> costs, const DecodeOptions& options) {
  const std::size_t n = layout.fields.size();
  FormDecision d;
  d.review.assign(n, false);
  d.confidence.assign(n, 0.0);
  std::vector<std::uint32_t> read(n);
  for (std::size_t f = 0; f < n; ++f) {
    d.read.push_back(costs[f].best());
    read[f] = static_cast<std::uint32_t>(costs[f].best());
  }
  d.violations = check_form(layout, tps, read);

  Search search(layout, tps, costs, options);
  search.run();
  d.nodes = search.nodes();
  const auto& sols = search.solutions();

  if (sols.empty()) {
    d.values = read;
    d.reason = search.exhausted() ? "too many doubtful readings to search"
                                  : "no reading of the fields satisfies the form's arithmetic";
    // Nothing close to what was read adds up: every number of every rule the reading breaks, and
    // every doubtful reading.
    mark_broken_rules(layout, tps, read, d.review);
    for (std::size_t f = 0; f < n; ++f) {
      if (doubtful(costs[f], options)) d.review[f] = true;
    }
    return d;
  }

  d.consistent = true;
  const Solution& best = sols.front();
  d.values = best.values;
  d.correction_cost = best.cost;
  if (sols.size() > 1) d.runner_up_gap = sols[1].cost - best.cost;

  // A field's confidence: the share of probability, among the consistent assignments found, of
  // those that agree with the best on it.
  std::vector<double> against(n, 0.0);
  for (std::size_t i = 1; i < sols.size(); ++i) {
    double w = std::exp(best.cost - sols[i].cost);
    for (std::size_t f = 0; f < n; ++f) {
      if (sols[i].values[f] != best.values[f]) {
        against[f] += w;
        if (sols[i].cost - best.cost < options.margin) d.review[f] = true;
      }
    }
  }
  for (std::size_t f = 0; f < n; ++f) d.confidence[f] = 1.0 / (1.0 + against[f]);

  if (best.cost > options.max_correction) {
    // The paper may not add up, or a number was misread with confidence: the person checks
    // every number of the rules the reading breaks.
    d.reason = "the consistent reading differs too much from what was read";
    mark_broken_rules(layout, tps, read, d.review);
  } else if (d.runner_up_gap < options.margin) {
    d.reason = "another reading of the form is almost as likely";
  } else if (search.exhausted()) {
    d.reason = "too many doubtful readings to search";
    for (std::size_t f = 0; f < n; ++f) {
      if (doubtful(costs[f], options)) d.review[f] = true;
    }
  }
  d.accepted = d.reason.empty();
  // Where the chosen numbers differ from the plain readings, a person confirms the correction.
  for (std::size_t f = 0; f < n && !d.accepted; ++f) {
    if (best.values[f] != read[f]) d.review[f] = true;
  }
  if (!d.accepted && std::none_of(d.review.begin(), d.review.end(), [](bool b) { return b; })) {
    d.review.assign(n, true);
  }
  return d;
}

}  // namespace rekap::ocr
