#include "audit/witness.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <stdexcept>

#include "util/files.hpp"

namespace rekap::audit {

namespace {

std::uint64_t unix_seconds() {
  return std::uint64_t(std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count());
}

}  // namespace

std::string witness_verifier_key(const std::string& name, const std::string& key_file) {
  return tlog::verifier_key(name, read_secret_key(key_file).public_key(), tlog::kSigCosignatureV1);
}

Witness::Witness(const WitnessConfig& config)
    : identity_{config.name, read_secret_key(config.key_file)}, state_file_(config.state_file) {
  if (!tlog::valid_key_name(config.name)) {
    throw std::invalid_argument("not a valid witness name: " + config.name);
  }
  for (const std::string& entry : config.logs) {
    const std::size_t space = entry.find(' ');
    auto key = tlog::parse_verifier_key(entry.substr(0, space));
    if (!key || key->type != tlog::kSigEd25519) {
      throw std::invalid_argument("not a log's Ed25519 verifier key: " + entry.substr(0, space));
    }
    std::string origin = space == std::string::npos ? key->name : entry.substr(space + 1);
    if (!logs_.emplace(origin, *key).second) {
      throw std::invalid_argument("log " + origin + " is listed twice");
    }
  }
  if (auto text = read_file(state_file_)) {
    try {
      state_ = tlog::parse_witness_state(*text);
    } catch (const std::invalid_argument& e) {
      throw std::runtime_error(state_file_ + ": " + e.what());
    }
  }
}

tlog::WitnessAnswer Witness::add_checkpoint(std::string_view body) {
  std::lock_guard lock(mutex_);
  tlog::WitnessAnswer answer = tlog::add_checkpoint(body, logs_, state_, identity_, unix_seconds());
  if (answer.update) {
    tlog::WitnessState next = state_;
    next[answer.update->first] = answer.update->second;
    // On disk before the cosignature leaves: the witness never cosigns a tree it could forget.
    write_file_durably(state_file_, tlog::format_witness_state(next));
    state_ = std::move(next);
    spdlog::info("cosigned {} at size {}", answer.update->first, answer.update->second.size);
  }
  return answer;
}

tlog::WitnessedTree Witness::held(const std::string& origin) const {
  std::lock_guard lock(mutex_);
  auto it = state_.find(origin);
  return it == state_.end() ? tlog::WitnessedTree{} : it->second;
}

std::string Witness::verifier_key() const {
  return tlog::verifier_key(identity_.name, identity_.key.public_key(), tlog::kSigCosignatureV1);
}

}  // namespace rekap::audit
