#pragma once
// A man in the middle for tests: forwards every request to a real server and lets a test change
// what comes back, to play a log or results site that lies.
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "http/server.hpp"

namespace rekap::test {

class TamperProxy {
 public:
  // Changes the body of the answer to GET `path`; returns it unchanged when it does not care.
  using Tamper = std::function<void(const std::string& path, std::string& body)>;

  TamperProxy(const std::string& upstream_url, Tamper tamper);
  ~TamperProxy();
  std::string url() const;

 private:
  class Forwarder;
  std::unique_ptr<Forwarder> forwarder_;
  std::unique_ptr<http::HttpServer> server_;
  std::thread thread_;
};

}  // namespace rekap::test
