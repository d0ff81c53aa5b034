#pragma once
// Every HTTP route of `rekap serve`, in one table (routes.cpp; docs/api.md describes them): the
// method, the path pattern, the largest body taken, and the action. Adding a route is one line.
#include <memory>

#include "http/router.hpp"
#include "server/app.hpp"
#include "server/ocr_endpoint.hpp"

namespace rekap::server {

// The router of an App; `app` and `ocr` must outlive it.
std::unique_ptr<http::Router> make_router(App& app, OcrEndpoint& ocr);

}  // namespace rekap::server
