#pragma once
// The route table's engine: each route is a method, a path pattern, the largest body it takes
// and its action; the first route whose pattern and method match a request answers it.
//
// A pattern is literal segments, `{name}` segments that match one non-empty segment, and an
// optional final `*` that matches the rest of the path (empty included). The matched `{...}`
// segments and the rest are the call's params, in order. A GET route also answers HEAD: the
// router sends the answer's headers with the length of the body it would have sent.
//
// Answers the router gives itself: 404 when no pattern matches, 405 when a pattern matches but
// not with this method, 413 / 400 for a request that could not be read (too large, malformed),
// and 500 when an action throws. Those come from `on_error`; what an action threw is logged,
// never sent to the client.
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "http/server.hpp"

namespace rekap::http {

// What an action is given. It lives only while the action runs: an action that answers later
// (from another thread) copies what it needs of the request first.
struct Call {
  const Request& req;
  const boost::asio::ip::address& peer;  // the connection's (a reverse proxy's, behind one)
  std::string_view path;                 // the target without its query
  std::vector<std::string_view> params;  // `{...}` segments and the `*` rest, in order
};

using Action = std::function<void(const Call&, Reply)>;

struct Route {
  verb method;
  std::string_view pattern;
  std::size_t body_limit;  // 0: no body
  Action action;
};

// Renders the router's own answers: an error code ("not_found", "method_not_allowed",
// "too_large", "bad_request", "internal") and a message a person can read.
using ErrorAnswer = std::function<Response(status, const std::string& code,
                                           const std::string& message, unsigned version)>;

// Whether `path` matches `pattern`; fills params when it does. Pure.
bool match_route(std::string_view pattern, std::string_view path,
                 std::vector<std::string_view>& params);

class Router : public Handler {
 public:
  Router(std::vector<Route> routes, ErrorAnswer on_error);

  std::size_t body_limit(const request_header<>& header) const override;
  void handle(Request&& req, const boost::asio::ip::address& peer, Reply reply) override;
  Response error(status status, const std::string& message, unsigned version) override;

 private:
  // The route for this method and path, or nullptr; `path_known` says whether any route's
  // pattern matched the path.
  const Route* find(verb method, std::string_view path, std::vector<std::string_view>& params,
                    bool& path_known) const;

  std::vector<Route> routes_;
  ErrorAnswer on_error_;
};

}  // namespace rekap::http
