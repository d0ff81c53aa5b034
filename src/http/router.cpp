#include "http/router.hpp"

#include <spdlog/spdlog.h>

#include "http/answer.hpp"

namespace rekap::http {

namespace {

std::string_view path_of(std::string_view target) {
  return target.substr(0, target.find('?'));
}

// The next segment of `rest` (which starts after a '/'), and rest moved past it.
std::string_view next_segment(std::string_view& rest) {
  auto slash = rest.find('/');
  std::string_view seg = rest.substr(0, slash);
  rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
  return seg;
}

}  // namespace

bool match_route(std::string_view pattern, std::string_view path,
                 std::vector<std::string_view>& params) {
  params.clear();
  if (!pattern.starts_with('/') || !path.starts_with('/')) return false;
  pattern.remove_prefix(1);
  path.remove_prefix(1);
  bool path_done = false;
  while (!pattern.empty()) {
    if (pattern == "*") {
      params.push_back(path_done ? std::string_view{} : path);
      return true;
    }
    std::string_view want = next_segment(pattern);
    if (path_done) return false;
    bool last = path.find('/') == std::string_view::npos;
    std::string_view got = next_segment(path);
    if (last) path_done = true;
    if (want.starts_with('{') && want.ends_with('}')) {
      if (got.empty()) return false;
      params.push_back(got);
    } else if (want != got) {
      return false;
    }
  }
  return path_done;
}

Router::Router(std::vector<Route> routes, ErrorAnswer on_error)
    : routes_(std::move(routes)), on_error_(std::move(on_error)) {}

const Route* Router::find(verb method, std::string_view path, std::vector<std::string_view>& params,
                          bool& path_known) const {
  path_known = false;
  verb as = method == verb::head ? verb::get : method;
  for (const Route& r : routes_) {
    if (!match_route(r.pattern, path, params)) continue;
    path_known = true;
    if (r.method == as) return &r;
  }
  return nullptr;
}

std::size_t Router::body_limit(const request_header<>& header) const {
  std::vector<std::string_view> params;
  bool known = false;
  const Route* r = find(header.method(), path_of(header.target()), params, known);
  return r ? r->body_limit : 0;
}

Response Router::error(status s, const std::string& message, unsigned version) {
  return on_error_(s, s == status::payload_too_large ? "too_large" : "bad_request", message,
                   version);
}

void Router::handle(Request&& req, const boost::asio::ip::address& peer, Reply reply) {
  std::string_view path = path_of(req.target());
  Call call{req, peer, path, {}};
  bool known = false;
  const Route* route = find(req.method(), path, call.params, known);
  if (req.method() == verb::head) {
    reply = [reply = std::move(reply)](Response res) {
      answer_head(res);
      reply(std::move(res));
    };
  }
  if (!route) {
    reply(known ? on_error_(
                      status::method_not_allowed, "method_not_allowed",
                      std::string(req.method_string()) + " is not allowed on " + std::string(path),
                      req.version())
                : on_error_(status::not_found, "not_found", "no such path: " + std::string(path),
                            req.version()));
    return;
  }
  try {
    route->action(call, reply);
  } catch (const std::exception& e) {
    spdlog::error("{} {} failed: {}", std::string(req.method_string()), std::string(path),
                  e.what());
    reply(on_error_(status::internal_server_error, "internal",
                    "the server could not answer this request; the error is logged",
                    req.version()));
  }
}

}  // namespace rekap::http
