#pragma once
// The witness's HTTP interface (c2sp.org/tlog-witness): `POST <prefix>/add-checkpoint`, with a
// bounded body (413 beyond it), answered in plain text as the spec has it.
#include <memory>
#include <string>

#include "audit/witness.hpp"
#include "http/router.hpp"

namespace rekap::audit {

// A checkpoint with a hundred signatures and a full proof fit many times over.
inline constexpr std::size_t kAddCheckpointBodyLimit = 64 * 1024;

class WitnessHttp {
 public:
  // `prefix` is the submission prefix: "" or a path like "/witness" (no trailing slash).
  WitnessHttp(Witness& witness, const std::string& prefix);
  http::Router& router() { return *router_; }

 private:
  std::string pattern_;  // the route table refers to it
  std::unique_ptr<http::Router> router_;
};

}  // namespace rekap::audit
