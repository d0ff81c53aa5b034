#pragma once
// A blocking HTTP/1.1 client with one keep-alive connection, for the CLI and the simulator.
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rekap {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names in lower case
  std::string header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

class HttpError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Url {
  std::string host;
  std::string port;
  std::string base;  // path prefix without trailing slash
  // Parses http://host:port[/base]; throws std::invalid_argument.
  static Url parse(const std::string& url);
};

class HttpClient {
 public:
  explicit HttpClient(Url url, std::chrono::milliseconds timeout = std::chrono::seconds(30));
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends one request (reconnecting once if a kept-alive connection was closed by the peer).
  // Throws HttpError when the server cannot be reached or the exchange fails.
  HttpResult request(const std::string& method, const std::string& path,
                     const std::string& body = "",
                     const std::string& content_type = "application/json",
                     const HttpHeaders& headers = {});
  HttpResult get(const std::string& path) { return request("GET", path); }
  // Sends a request on a connection of its own and closes it without reading the answer: a
  // client whose connection drops after sending (a fault the simulator injects).
  void send_and_abandon(const std::string& method, const std::string& path,
                        const std::string& body);
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rekap
