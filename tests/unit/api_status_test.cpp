// What a decision on a statement tells the client over HTTP (server/api.hpp): the core's grounds
// for a refusal, mapped in one place.
#include <gtest/gtest.h>

#include "server/api.hpp"

namespace rekap {
namespace {

TEST(ApiStatus, EachGroundsHasItsStatus) {
  auto status = [](Decision::Kind kind, Decision::Grounds g) {
    Decision d;
    d.kind = kind;
    d.grounds = g;
    return server::status_of(d);
  };
  using G = Decision::Grounds;
  using K = Decision::Kind;
  EXPECT_EQ(status(K::accepted, G::none), http::status::ok);
  EXPECT_EQ(status(K::duplicate, G::none), http::status::ok);
  EXPECT_EQ(status(K::rejected, G::not_enrolled), http::status::unauthorized);
  EXPECT_EQ(status(K::rejected, G::not_allowed), http::status::forbidden);
  EXPECT_EQ(status(K::rejected, G::conflict), http::status::conflict);
  EXPECT_EQ(status(K::rejected, G::invalid), http::status::unprocessable_entity);
  EXPECT_EQ(status(K::rejected, G::unavailable), http::status::service_unavailable);
}

}  // namespace
}  // namespace rekap
