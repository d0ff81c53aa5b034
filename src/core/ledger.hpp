#pragma once
// The rules of who may say what, and which result is in force: enrolled keys, statement ids
// and the current result per TPS and ballot. Pure state, no I/O: the server feeds it statements
// in log order, and a rebuild or an auditor feeds it the same statements to reach the same state.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/unordered/unordered_flat_map.hpp>

#include "core/definition.hpp"
#include "core/rules.hpp"
#include "core/statement.hpp"

namespace rekap {

struct Decision {
  enum class Kind { accepted, duplicate, rejected };
  Kind kind = Kind::rejected;
  // Why a statement was rejected; none when it was not.
  enum class Grounds {
    none,
    not_enrolled,  // the signer's key is not enrolled
    not_allowed,   // the signer may not say this (role, scope)
    conflict,      // it contradicts the log (stale revision, a correction in force, ...)
    invalid,       // its content breaks the election's definition or the form's rules
    unavailable,   // it could not be decided now (the store failed); retry later
  };
  Grounds grounds = Grounds::none;
  std::string code;  // stable machine-readable reason, e.g. "out_of_scope"
  std::string message;
  std::vector<Violation> violations;  // for code "validation"
  std::uint64_t index = 0;            // log index: the new one, or the original's for a duplicate

  // For an accepted result or correction:
  int tps = -1;
  int contest = -1;
  std::vector<std::uint32_t> values;        // aligned with the contest's layout
  std::optional<std::uint64_t> superseded;  // the statement it replaces as current

  bool accepted() const { return kind == Kind::accepted; }
};

struct Enrolment {
  Role role = Role::kpps;
  std::string scope;
  std::uint64_t index = 0;
};

class Ledger {
 public:
  using ImageExists = std::function<bool(const Hash32&)>;

  Ledger(const Definition& def, const PublicKey& admin);

  // What would happen if this statement (its signature already checked) were appended next.
  // `content`, when given, is check_result_content's answer for a result or correction,
  // computed beforehand (on another thread); the decision is the same either way.
  Decision decide(const SignedStatement& s, const ImageExists& image_exists,
                  const Decision* content = nullptr) const;
  // Records a statement that decide() accepted; it takes index size().
  void apply(const SignedStatement& s, const Decision& d);

  std::uint64_t size() const { return size_; }
  // Room for this many statements, so that a replay of a long log does not rehash as it goes.
  void reserve(std::uint64_t statements) { ids_.reserve(statements); }
  const PublicKey& admin() const { return admin_; }
  // Valid until the next apply().
  const Enrolment* enrolment(const PublicKey& key) const;

  struct Current {
    std::uint64_t index = 0;
    std::uint32_t rev = 0;   // 0: nothing reported yet
    bool corrected = false;  // a ppk or admin correction is in force
  };
  Current current(int tps, Ballot b) const {
    return current_[std::size_t(tps) * kBallotCount + int(b)];
  }

 private:
  Decision decide_genesis(const Statement& st) const;
  Decision decide_enrol(const Statement& st) const;
  Decision decide_result(const Statement& st, const ImageExists& image_exists,
                         const Decision* content) const;

  const Definition& def_;
  PublicKey admin_;
  std::uint64_t size_ = 0;
  // Open addressing: millions of ids at national scale, without a heap node each.
  boost::unordered_flat_map<Hash32, std::uint64_t, Hash32Hasher> ids_;
  boost::unordered_flat_map<PublicKey, Enrolment, Hash32Hasher> keys_;
  std::vector<Current> current_;  // per TPS x ballot
};

// The checks of a result's or correction's content that need no ledger state: its TPS and
// contest, its fields and the form's rules. Accepted: tps, contest and values are set.
// `layout_values`, when not empty, are the values already in the layout's order
// (decode_stored_statement), and st.values is not read.
Decision check_result_content(const Definition& def, const Statement& st,
                              std::vector<std::uint32_t> layout_values = {});

// Maps a statement's (name, value) list onto a layout; nullopt with a message in `why` when the
// names are not exactly the layout's fields in order.
std::optional<std::vector<std::uint32_t>> values_for_layout(
    const FormLayout& layout, const std::vector<std::pair<std::string, std::uint32_t>>& values,
    std::string& why);

}  // namespace rekap
