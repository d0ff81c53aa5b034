#include "core/ledger.hpp"

#include "crypto/encoding.hpp"

namespace rekap {

namespace {

Decision reject(Decision::Grounds grounds, std::string code, std::string message) {
  Decision d;
  d.kind = Decision::Kind::rejected;
  d.grounds = grounds;
  d.code = std::move(code);
  d.message = std::move(message);
  return d;
}

}  // namespace

std::optional<std::vector<std::uint32_t>> values_for_layout(
    const FormLayout& layout, const std::vector<std::pair<std::string, std::uint32_t>>& values,
    std::string& why) {
  std::vector<std::uint32_t> out(layout.fields.size());
  for (std::size_t i = 0; i < layout.fields.size(); ++i) {
    if (i >= values.size()) {
      why = "field " + layout.fields[i].name + " is missing";
      return std::nullopt;
    }
    if (values[i].first != layout.fields[i].name) {
      why = "field " + std::to_string(i + 1) + " must be " + layout.fields[i].name + ", found " +
            values[i].first;
      return std::nullopt;
    }
    out[i] = values[i].second;
  }
  if (values.size() > layout.fields.size()) {
    why = "field " + values[layout.fields.size()].first + " is not on this form";
    return std::nullopt;
  }
  return out;
}

Ledger::Ledger(const Definition& def, const PublicKey& admin)
    : def_(def), admin_(admin), current_(def.tps.size() * kBallotCount) {}

const Enrolment* Ledger::enrolment(const PublicKey& key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second;
}

Decision check_result_content(const Definition& def, const Statement& st,
                              std::vector<std::uint32_t> layout_values) {
  int tps = def.find_tps(st.tps);
  if (tps < 0)
    return reject(Decision::Grounds::invalid, "unknown_tps",
                  "TPS " + st.tps + " is not in this election");
  const Tps& t = def.tps[std::size_t(tps)];
  int contest = t.contest[int(st.ballot)];
  if (contest < 0) {
    return reject(
        Decision::Grounds::invalid, "no_contest",
        "TPS " + st.tps + " does not vote on ballot " + std::string(ballot_id(st.ballot)));
  }
  const FormLayout& layout = def.contests[std::size_t(contest)].layout;
  std::optional<std::vector<std::uint32_t>> values;
  if (!layout_values.empty() && layout_values.size() == layout.fields.size()) {
    values = std::move(layout_values);
  } else {
    std::string why;
    values = values_for_layout(layout, st.values, why);
    if (!values) return reject(Decision::Grounds::invalid, "wrong_fields", why);
  }
  auto violations = check_form(layout, TpsParams{t.dpt_l, t.dpt_p}, *values);
  if (!violations.empty()) {
    Decision d =
        reject(Decision::Grounds::invalid, "validation",
               "the form's numbers break " + std::to_string(violations.size()) + " rule(s)");
    d.violations = std::move(violations);
    return d;
  }
  Decision d;
  d.kind = Decision::Kind::accepted;
  d.tps = tps;
  d.contest = contest;
  d.values = std::move(*values);
  return d;
}

Decision Ledger::decide(const SignedStatement& s, const ImageExists& image_exists,
                        const Decision* content) const {
  const Statement& st = s.statement;
  if (st.election != def_.election_id) {
    return reject(
        Decision::Grounds::invalid, "wrong_election",
        "statement is for election " + st.election + ", this server runs " + def_.election_id);
  }
  if (auto it = ids_.find(s.id); it != ids_.end()) {
    Decision d;
    d.kind = Decision::Kind::duplicate;
    d.code = "accepted";
    d.index = it->second;
    return d;
  }
  Decision d;
  if (st.type == StatementType::genesis) {
    d = decide_genesis(st);
  } else if (size_ == 0) {
    d = reject(Decision::Grounds::conflict, "no_genesis",
               "the log must start with the genesis signed at `rekap init`");
  } else if (st.type == StatementType::enrol) {
    d = decide_enrol(st);
  } else {
    d = decide_result(st, image_exists, content);
  }
  if (d.kind == Decision::Kind::accepted) {
    d.code = "accepted";
    d.index = size_;
  }
  return d;
}

Decision Ledger::decide_genesis(const Statement& st) const {
  if (size_ != 0)
    return reject(Decision::Grounds::conflict, "genesis_exists",
                  "the log already has its genesis entry");
  if (st.signer != admin_)
    return reject(Decision::Grounds::not_allowed, "not_admin",
                  "the genesis must be signed by the admin key");
  if (st.definition != def_.hash) {
    return reject(Decision::Grounds::invalid, "wrong_definition",
                  "the genesis names definition " + to_hex(st.definition) +
                      ", this election's is " + to_hex(def_.hash));
  }
  Decision d;
  d.kind = Decision::Kind::accepted;
  return d;
}

Decision Ledger::decide_enrol(const Statement& st) const {
  if (st.signer != admin_) {
    if (!enrolment(st.signer))
      return reject(Decision::Grounds::not_enrolled, "unknown_signer",
                    "the signer key is not enrolled");
    return reject(Decision::Grounds::not_allowed, "not_admin",
                  "only the election's admin key may enrol keys");
  }
  if (st.role == Role::admin) {
    return reject(Decision::Grounds::invalid, "bad_role",
                  "admin keys are configured at `rekap init`, not enrolled");
  }
  if (st.role == Role::kpps && def_.find_tps(st.scope) < 0) {
    return reject(Decision::Grounds::invalid, "unknown_scope",
                  "a kpps key's scope must be a TPS of this election; " + st.scope + " is not");
  }
  if (st.role == Role::ppk &&
      (level_of_code(st.scope) != Level::kecamatan || def_.find_region(st.scope) < 0)) {
    return reject(
        Decision::Grounds::invalid, "unknown_scope",
        "a ppk key's scope must be a kecamatan of this election; " + st.scope + " is not");
  }
  if (st.key == admin_)
    return reject(Decision::Grounds::conflict, "already_enrolled", "that key is the admin key");
  if (const Enrolment* e = enrolment(st.key)) {
    return reject(Decision::Grounds::conflict, "already_enrolled",
                  "key is already enrolled as " + std::string(role_name(e->role)) + " for " +
                      e->scope + " (log index " + std::to_string(e->index) + ")");
  }
  Decision d;
  d.kind = Decision::Kind::accepted;
  return d;
}

Decision Ledger::decide_result(const Statement& st, const ImageExists& image_exists,
                               const Decision* content) const {
  bool correction = st.type == StatementType::correction;
  const Enrolment* e = enrolment(st.signer);
  bool by_admin = st.signer == admin_;
  if (!e && !by_admin)
    return reject(Decision::Grounds::not_enrolled, "unknown_signer",
                  "the signer key is not enrolled");
  if (correction) {
    bool ok = by_admin || (e->role == Role::ppk && code_within(st.tps, e->scope));
    if (!ok) {
      return reject(Decision::Grounds::not_allowed, "out_of_scope",
                    "a correction for TPS " + st.tps +
                        " must be signed by the ppk of its kecamatan or the admin");
    }
  } else if (by_admin || e->role != Role::kpps || e->scope != st.tps) {
    return reject(
        Decision::Grounds::not_allowed, "out_of_scope",
        "a result for TPS " + st.tps + " must be signed by a kpps key enrolled for it" +
            (e ? " (this key is " + std::string(role_name(e->role)) + " for " + e->scope + ")"
               : std::string(" (this is the admin key)")));
  }
  Decision d = content ? *content : check_result_content(def_, st);
  if (!d.accepted()) return d;
  for (const auto& img : st.images) {
    if (!image_exists(img)) {
      return reject(
          Decision::Grounds::invalid, "missing_image",
          "image " + to_hex(img) + " has not been uploaded (PUT /api/v1/images/<sha256>)");
    }
  }
  Current cur = current(d.tps, st.ballot);
  if (correction) {
    auto target = ids_.find(st.supersedes);
    if (cur.rev == 0 || target == ids_.end() || target->second != cur.index) {
      return reject(Decision::Grounds::conflict, "not_current",
                    "a correction must supersede the result now in force for TPS " + st.tps +
                        " ballot " + std::string(ballot_id(st.ballot)));
    }
  }
  if (!correction && cur.corrected) {
    return reject(Decision::Grounds::conflict, "corrected",
                  "the result in force for TPS " + st.tps + " ballot " +
                      std::string(ballot_id(st.ballot)) + " is a correction (log index " +
                      std::to_string(cur.index) + "); only a further correction can supersede it");
  }
  if (cur.rev != 0 && st.rev <= cur.rev) {
    return reject(Decision::Grounds::conflict, "stale_rev",
                  "rev " + std::to_string(st.rev) + " is not newer than rev " +
                      std::to_string(cur.rev) + " in force (log index " +
                      std::to_string(cur.index) + ")");
  }
  if (cur.rev != 0) d.superseded = cur.index;
  return d;
}

void Ledger::apply(const SignedStatement& s, const Decision& d) {
  const Statement& st = s.statement;
  ids_.emplace(s.id, size_);
  if (st.type == StatementType::enrol) {
    keys_.emplace(st.key, Enrolment{st.role, st.scope, size_});
  } else if (st.type != StatementType::genesis) {
    current_[std::size_t(d.tps) * kBallotCount + int(st.ballot)] =
        Current{size_, st.rev, st.type == StatementType::correction};
  }
  ++size_;
}

}  // namespace rekap
