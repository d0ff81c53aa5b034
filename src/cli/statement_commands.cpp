#include "cli/statement_commands.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <filesystem>
#include <iostream>

#include "cli/shared_options.hpp"
#include "client/http_client.hpp"
#include "core/statement.hpp"
#include "crypto/encoding.hpp"
#include "crypto/keys.hpp"
#include "util/files.hpp"

namespace rekap::cli {

namespace fs = std::filesystem;
namespace json = boost::json;

namespace {

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

int cmd_keygen(const KeygenArgs& a) {
  SecretKey key = SecretKey::generate();
  write_key_files(key, a.out);
  std::string pub = to_base64(key.public_key());
  if (a.json) {
    std::cout << json::serialize(json::object{
                     {"secret_file", a.out}, {"public_file", a.out + ".pub"}, {"public_key", pub}})
              << "\n";
  } else {
    std::cout << "secret key: " << a.out << "\npublic key: " << a.out << ".pub\n" << pub << "\n";
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

namespace {

void add_keygen(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand("keygen",
                                 "Make an Ed25519 key pair: FILE (secret, mode 0600) and FILE.pub");
  KeygenArgs& a = bind_action<KeygenArgs>(*cmd, action, cmd_keygen);
  cmd->add_option("--out", a.out, "Secret key file to write")->required();
  add_json(*cmd, a.json, "Print the public key as JSON");
}

void add_enroll(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "enroll", "Enrol a device key for a TPS (kpps) or an operator key for a kecamatan (ppk)");
  EnrollArgs& a = bind_action<EnrollArgs>(*cmd, action, cmd_enroll);
  add_url(*cmd, a.url, "Server URL, e.g. http://127.0.0.1:8080")->required();
  add_admin_key(*cmd, a.admin_key)->required();
  cmd->add_option("--key", a.key, "Public key to enrol: a .pub file or base64")->required();
  cmd->add_option("--role", a.role, "kpps or ppk")
      ->required()
      ->check(CLI::IsMember({"kpps", "ppk"}));
  cmd->add_option("--scope", a.scope, "TPS code (kpps) or kecamatan code (ppk)")->required();
  add_json(*cmd, a.json, "Print the server's JSON answer");
}

void add_submit(CLI::App& app, Action& action) {
  auto* cmd = app.add_subcommand(
      "submit", "Sign and submit a TPS result (or, with --supersedes, a correction)");
  SubmitArgs& a = bind_action<SubmitArgs>(*cmd, action, cmd_submit);
  add_url(*cmd, a.url)->required();
  cmd->add_option("--key", a.key, "Secret key file of the signer")->required();
  add_tps(*cmd, a.tps)->required();
  add_ballot(*cmd, a.ballot)->required();
  cmd->add_option("--values", a.values, "JSON file with the form's numbers by field name")
      ->required();
  cmd->add_option("--rev", a.rev, "Revision; a higher one supersedes")->capture_default_str();
  cmd->add_option("--image", a.images, "Photo of a form page (uploaded first); repeatable");
  cmd->add_option("--supersedes", a.supersedes, "Id (hex) of the result this corrects (ppk)");
  cmd->add_option("--reason", a.reason, "Reason for a correction");
  add_json(*cmd, a.json, "Print the server's JSON answer");
}

}  // namespace

void add_statement_commands(CLI::App& app, Action& action) {
  add_keygen(app, action);
  add_enroll(app, action);
  add_submit(app, action);
}

}  // namespace rekap::cli
