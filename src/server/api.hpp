#pragma once
// The actions of rekap's own HTTP routes under /api/v1 (docs/api.md); routes.cpp maps each to
// its method and path. Every action answers from the App's parts; none keeps state of its own.
#include "http/router.hpp"
#include "server/app.hpp"

namespace rekap::server {

inline constexpr std::size_t kStatementBodyLimit = 256 * 1024;
inline constexpr std::size_t kImageBodyLimit = 20 * 1024 * 1024;

// The HTTP status that tells a client what a decision on its statement means.
http::status status_of(const Decision& d);

// Asynchronous: answered once the sequencer's decision is durable.
void post_statement(App& app, const http::Call& c, http::Reply reply);

http::Response put_image(App& app, const http::Call& c);
http::Response get_image(App& app, const http::Call& c);
http::Response post_report(App& app, const http::Call& c);
http::Response get_health(App& app, const http::Call& c);
http::Response get_election(App& app, const http::Call& c);
http::Response get_region(App& app, const http::Call& c);
http::Response get_contest(App& app, const http::Call& c);
http::Response get_results(App& app, const http::Call& c);
http::Response get_tps(App& app, const http::Call& c);
http::Response get_reports(App& app, const http::Call& c);
http::Response get_proof(App& app, const http::Call& c);
http::Response get_definition_file(App& app, const http::Call& c);
// GET /log/<rest>: the transparency log (C2SP tlog-tiles).
http::Response get_log(App& app, const http::Call& c);
// The portal's files and documents, and a line of text at / when the portal is not built.
http::Response get_portal(App& app, const http::Call& c);

}  // namespace rekap::server
