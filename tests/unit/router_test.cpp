// The route table's engine (http/router.hpp): patterns, the body limit of the route a request
// will reach, 404 and 405, HEAD answered from GET, and an action's failure answered 500 without
// its text.
#include <gtest/gtest.h>

#include "http/json_answer.hpp"
#include "http/router.hpp"

namespace rekap {
namespace {

using http::match_route;
using http::verb;

std::vector<std::string_view> params_of(std::string_view pattern, std::string_view path,
                                        bool& matched) {
  std::vector<std::string_view> params;
  matched = match_route(pattern, path, params);
  return params;
}

TEST(MatchRoute, LiteralsParamsAndRest) {
  bool m = false;
  EXPECT_TRUE(params_of("/api/v1/health", "/api/v1/health", m).empty());
  EXPECT_TRUE(m);
  params_of("/api/v1/health", "/api/v1/healthz", m);
  EXPECT_FALSE(m);
  params_of("/api/v1/health", "/api/v1/health/more", m);
  EXPECT_FALSE(m);
  auto p = params_of("/api/v1/results/{ballot}/{code}", "/api/v1/results/ppwp/31", m);
  EXPECT_TRUE(m);
  EXPECT_EQ(p, (std::vector<std::string_view>{"ppwp", "31"}));
  params_of("/api/v1/results/{ballot}/{code}", "/api/v1/results/ppwp", m);
  EXPECT_FALSE(m) << "a {param} needs its segment";
  params_of("/api/v1/results/{ballot}", "/api/v1/results/", m);
  EXPECT_FALSE(m) << "a {param} never matches an empty segment";
  p = params_of("/log/*", "/log/tile/0/001", m);
  EXPECT_TRUE(m);
  EXPECT_EQ(p, (std::vector<std::string_view>{"tile/0/001"}));
  p = params_of("/*", "/", m);
  EXPECT_TRUE(m);
  EXPECT_EQ(p, (std::vector<std::string_view>{""}));
  params_of("/log/*", "/logs/x", m);
  EXPECT_FALSE(m);
}

struct Answered {
  http::Response res;
  int calls = 0;
};

class RouterTest : public ::testing::Test {
 protected:
  RouterTest()
      : router({{verb::post, "/items", 1000,
                 [](const http::Call&, http::Reply reply) {
                   reply(http::json_response(http::status::created, "made", 11));
                 }},
                {verb::get, "/items/{id}", 0,
                 [](const http::Call& c, http::Reply reply) {
                   http::Response res{http::status::ok, 11};
                   res.body() = "item " + std::string(c.params[0]);
                   reply(std::move(res));
                 }},
                {verb::get, "/fail", 0,
                 [](const http::Call&, http::Reply) -> void {
                   throw std::runtime_error("secret detail /var/lib/rekap");
                 }}},
               http::json_error) {}

  Answered send(verb method, std::string target) {
    Answered a;
    http::Request req{method, target, 11};
    router.handle(std::move(req), boost::asio::ip::make_address("127.0.0.1"),
                  [&a](http::Response res) {
                    a.res = std::move(res);
                    ++a.calls;
                  });
    return a;
  }

  http::Router router;
};

TEST_F(RouterTest, EachRouteAnswersWithItsParams) {
  Answered a = send(verb::get, "/items/42?full=1");
  EXPECT_EQ(a.calls, 1);
  EXPECT_EQ(a.res.result(), http::status::ok);
  EXPECT_EQ(a.res.body(), "item 42");
  EXPECT_EQ(send(verb::post, "/items").res.result(), http::status::created);
}

TEST_F(RouterTest, UnknownPathIs404AndWrongMethodIs405) {
  Answered missing = send(verb::get, "/nothing");
  EXPECT_EQ(missing.res.result(), http::status::not_found);
  EXPECT_NE(missing.res.body().find("\"not_found\""), std::string::npos);
  Answered wrong = send(verb::delete_, "/items");
  EXPECT_EQ(wrong.res.result(), http::status::method_not_allowed);
  EXPECT_NE(wrong.res.body().find("DELETE is not allowed on /items"), std::string::npos);
}

TEST_F(RouterTest, HeadIsGetWithoutTheBody) {
  Answered a = send(verb::head, "/items/7");
  EXPECT_EQ(a.res.result(), http::status::ok);
  EXPECT_TRUE(a.res.body().empty());
  EXPECT_EQ(a.res[http::field::content_length], "6");
}

TEST_F(RouterTest, AFailingActionIs500WithoutItsText) {
  Answered a = send(verb::get, "/fail");
  EXPECT_EQ(a.calls, 1);
  EXPECT_EQ(a.res.result(), http::status::internal_server_error);
  EXPECT_NE(a.res.body().find("\"internal\""), std::string::npos);
  EXPECT_EQ(a.res.body().find("secret"), std::string::npos) << a.res.body();
}

TEST_F(RouterTest, BodyLimitIsTheMatchedRoutes) {
  http::request_header<> post;
  post.method(verb::post);
  post.target("/items?x=1");
  EXPECT_EQ(router.body_limit(post), 1000u);
  http::request_header<> get;
  get.method(verb::get);
  get.target("/items/1");
  EXPECT_EQ(router.body_limit(get), 0u);
  http::request_header<> unknown;
  unknown.method(verb::put);
  unknown.target("/items");
  EXPECT_EQ(router.body_limit(unknown), 0u);
}

}  // namespace
}  // namespace rekap
