#include "cli/commands.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/signal_set.hpp>
#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "audit/remote_log.hpp"
#include "audit/verify.hpp"
#include "audit/witness.hpp"
#include "client/http_client.hpp"
#include "core/statement.hpp"
#include "crypto/encoding.hpp"
#include "http/server.hpp"
#include "ocr/digit_model.hpp"
#include "server/app.hpp"
#include "server/ocr_endpoint.hpp"
#include "server/routes.hpp"
#include "sim/geo.hpp"
#include "sim/run.hpp"
#include "sim/votes.hpp"
#include "util/files.hpp"

namespace rekap::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

std::pair<std::string, std::uint16_t> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--listen must be ADDRESS:PORT");
  int port = std::stoi(listen.substr(colon + 1));
  if (port < 0 || port > 65535) throw std::invalid_argument("--listen port out of range");
  return {listen.substr(0, colon), std::uint16_t(port)};
}

std::string election_id(HttpClient& client) {
  auto res = client.get("/api/v1/election");
  if (res.status != 200)
    throw std::runtime_error("GET /api/v1/election answered " + std::to_string(res.status));
  return std::string(json::parse(res.body).at("id").as_string());
}

// Posts a signed statement and prints the answer; exit code 0 only when it was accepted.
int post_statement(HttpClient& client, const SignedStatement& s, bool as_json) {
  std::string body =
      json::serialize(json::object{{"statement", s.body}, {"signature", to_base64(s.signature)}});
  auto res = client.request("POST", "/api/v1/statements", body);
  if (as_json) {
    std::cout << res.body << "\n";
  } else if (res.status == 200) {
    auto doc = json::parse(res.body);
    std::cout << "accepted: id " << doc.at("id").as_string().c_str() << ", log index "
              << doc.at("index").as_int64() << "\n";
  } else {
    std::cerr << "refused (HTTP " << res.status << "): " << res.body << "\n";
  }
  return res.status == 200 ? 0 : 1;
}

}  // namespace

int cmd_init(const InitArgs& a) {
  server::init_data_dir(
      a.data, read_named_files(a.def, kDefinitionFileNames),
      [&] {
        if (!a.admin_key.empty()) return read_secret_key(a.admin_key);
        std::string path = (fs::path(a.data) / "admin.key").string();
        if (fs::exists(path)) {
          throw std::runtime_error(path + " exists already; pass --admin-key or remove it");
        }
        SecretKey key = SecretKey::generate();
        write_key_files(key, path);
        std::cout << "admin key: " << path << " (public " << to_base64(key.public_key()) << ")\n";
        return key;
      },
      a.origin);
  std::cout << "initialised " << a.data << "\n";
  return 0;
}

int cmd_serve(const ServeArgs& a) {
  auto [address, port] = split_listen(a.listen);
  server::AppOptions options;
  options.publish_dir = a.publish;
  options.witness_keys = a.witnesses;
  options.checkpoint_interval = std::chrono::milliseconds(a.checkpoint_ms);
  options.open_data.documents_interval = std::chrono::milliseconds(a.open_data_ms);
  options.open_data.exports_interval = std::chrono::milliseconds(a.exports_ms);
  options.open_data.archive_interval = std::chrono::milliseconds(a.archive_ms);
  options.web_dir = a.web;
  options.reports = {a.report_minute, a.report_day, a.report_tps_hour, a.trusted_proxies};
  server::App app(a.data, options);
  server::OcrOptions ocr_options;
  ocr_options.model_required = !a.model.empty();
  ocr_options.model_path = a.model.empty() ? ocr::default_model_path() : a.model;
  ocr_options.threads = a.ocr_threads;
  server::OcrEndpoint ocr(app.def(), app.images(), ocr_options);
  auto router = server::make_router(app, ocr);
  http::HttpServer http(*router, address, port);
  int exit_code = 0;
  std::thread stopper;
  boost::asio::signal_set signals(http.context(), SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (ec) return;
    spdlog::info("signal {}: stopping", sig);
    http.stop_accepting();
    // Statements already queued are decided, stored and answered; the answers get a moment to
    // be written before the connections close.
    stopper = std::thread([&] {
      app.sequencer().stop();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      http.stop();
    });
  });
  app.sequencer().on_fatal([&](const std::string&) {
    exit_code = 1;
    http.stop();
  });
  int threads = a.threads > 0 ? a.threads : int(std::max(1u, std::thread::hardware_concurrency()));
  std::cout << "rekap serving election " << app.def().election_id << " at http://" << address << ":"
            << http.port() << "/" << std::endl;
  http.run(threads);
  // The reader's threads answer through the HTTP server's connections: stop them first.
  ocr.stop();
  if (stopper.joinable()) stopper.join();
  app.sequencer().stop();
  spdlog::info("stopped; {} statements stored", app.store().size());
  return exit_code;
}

int cmd_keygen(const std::string& out, bool as_json) {
  SecretKey key = SecretKey::generate();
  write_key_files(key, out);
  std::string pub = to_base64(key.public_key());
  if (as_json) {
    std::cout << json::serialize(json::object{
                     {"secret_file", out}, {"public_file", out + ".pub"}, {"public_key", pub}})
              << "\n";
  } else {
    std::cout << "secret key: " << out << "\npublic key: " << out << ".pub\n" << pub << "\n";
  }
  return 0;
}

int cmd_enroll(const EnrollArgs& a) {
  SecretKey admin = read_secret_key(a.admin_key);
  auto key =
      fs::exists(a.key) ? read_public_key(a.key) : parse_public_key(a.key).value_or(PublicKey{});
  if (key == PublicKey{})
    throw std::invalid_argument("--key is neither a .pub file nor a base64 public key");
  HttpClient client(Url::parse(a.url));
  Statement st;
  st.type = StatementType::enrol;
  st.election = election_id(client);
  st.time = utc_now();
  st.key = key;
  st.role = *parse_role(a.role);
  st.scope = a.scope;
  return post_statement(client, SignedStatement::sign(st, admin), a.json);
}

int cmd_submit(const SubmitArgs& a) {
  SecretKey key = read_secret_key(a.key);
  HttpClient client(Url::parse(a.url));
  auto ballot = parse_ballot(a.ballot);
  if (!ballot) throw std::invalid_argument("--ballot must be ppwp, pdpr, pdpd, pdprdp or pdprdk");
  Statement st;
  st.type = a.supersedes.empty() ? StatementType::result : StatementType::correction;
  st.election = election_id(client);
  st.time = utc_now();
  st.tps = a.tps;
  st.ballot = *ballot;
  st.rev = a.rev;
  if (!a.supersedes.empty()) {
    if (!from_hex(a.supersedes, st.supersedes))
      throw std::invalid_argument("--supersedes must be a 64-hex id");
    st.reason = a.reason;
  }
  for (const auto& path : a.images) {
    std::string bytes = read_file_or_throw(path);
    Hash32 h = sha256(bytes);
    auto res =
        client.request("PUT", "/api/v1/images/" + to_hex(h), bytes, "application/octet-stream");
    if (res.status != 200 && res.status != 201) {
      std::cerr << "image " << path << " refused (HTTP " << res.status << "): " << res.body << "\n";
      return 1;
    }
    st.images.push_back(h);
  }
  std::sort(st.images.begin(), st.images.end());
  st.images.erase(std::unique(st.images.begin(), st.images.end()), st.images.end());
  // The form's field order comes from the server's contest, so the file may list them in any order.
  auto values = json::parse(read_file_or_throw(a.values)).as_object();
  auto tps_doc = client.get("/api/v1/tps/" + a.tps);
  if (tps_doc.status != 200) throw std::runtime_error("TPS " + a.tps + ": " + tps_doc.body);
  auto ballots = json::parse(tps_doc.body).at("ballots").as_object();
  if (!ballots.contains(a.ballot))
    throw std::invalid_argument("TPS " + a.tps + " does not vote on " + a.ballot);
  std::string contest(ballots.at(a.ballot).at("contest").as_string());
  auto contest_doc = json::parse(client.get("/api/v1/contests/" + contest).body);
  for (const auto& f : contest_doc.at("fields").as_array()) {
    std::string name(f.at("name").as_string());
    const json::value* v = values.if_contains(name);
    if (!v || !v->is_int64() || v->as_int64() < 0)
      throw std::invalid_argument(a.values + ": field " + name + " needs a whole number");
    st.values.emplace_back(name, std::uint32_t(v->as_int64()));
  }
  return post_statement(client, SignedStatement::sign(st, key), a.json);
}

int cmd_sim_geo(const SimGeoArgs& a) {
  auto files = sim::generate_geo({a.scale, a.seed});
  Definition def = build_definition(files);
  sim::write_definition_dir(files, a.out);
  std::cout << "wrote election " << def.election_id << " to " << a.out << ": "
            << def.regions.size() - 1 << " regions, " << def.tps.size() << " TPS, "
            << def.contests.size() << " contests\n";
  return 0;
}

int cmd_sim_votes(const SimVotesArgs& a) {
  Definition def = build_definition(read_named_files(a.def, kDefinitionFileNames));
  sim::write_ground_truth(def, a.seed, a.out);
  std::cout << "wrote the ground truth of " << def.tps.size() << " TPS, " << def.contests.size()
            << " contests, to " << a.out << "\n";
  return 0;
}

int cmd_sim_run(const SimRunArgs& a) {
  auto files = read_named_files(a.def, kDefinitionFileNames);
  Definition def = build_definition(files);
  sim::RunOptions options;
  options.url = a.url;
  options.clients = a.clients;
  options.seed = a.seed;
  options.check = a.check;
  options.presign = a.presign;
  options.rate = a.rate;
  options.faults = {a.faults.begin(), a.faults.end()};
  options.fault_share = a.fault_share;
  options.ocr_share = a.ocr_share;
  options.model = a.model;
  options.mnist = a.mnist;
  auto report = sim::run_election(def, read_secret_key(a.admin_key), options);
  std::cout << (a.json ? report.to_json() + "\n" : report.to_text());
  return report.ok() ? 0 : 1;
}

int cmd_verify(const VerifyArgs& a) {
  audit::VerifyOptions options;
  options.url = a.url;
  options.log_key = a.log_key;
  options.state_dir = a.state;
  options.threads = a.threads;
  options.compare_results = a.results;
  auto report = audit::verify(options);
  std::cout << (a.json ? report.to_json() + "\n" : report.to_text());
  return report.ok() ? 0 : 1;
}

int cmd_witness(const WitnessArgs& a) {
  if (a.print_key) {
    std::cout << audit::witness_verifier_key(a.name, a.key) << "\n";
    return 0;
  }
  audit::WitnessOptions options{a.log, a.log_key, a.key, a.name, a.state, true};
  for (;;) {
    auto r = audit::witness_once(options);
    std::cout << "cosigned checkpoint of " << r.size << " entries"
              << " (previously " << r.previous_size << "): " << r.message << "\n"
              << std::flush;
    if (a.interval <= 0) return 0;
    std::this_thread::sleep_for(std::chrono::seconds(a.interval));
  }
}

}  // namespace rekap::cli
