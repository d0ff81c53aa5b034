#include "tamper_proxy.hpp"

#include "client/http_client.hpp"

namespace rekap::test {

class TamperProxy::Forwarder : public http::Handler {
 public:
  Forwarder(std::string upstream, Tamper tamper)
      : upstream_(std::move(upstream)), tamper_(std::move(tamper)) {}

  std::size_t body_limit(const http::request_header<>&) const override { return 1 << 20; }

  void handle(http::Request&& req, const boost::asio::ip::address&, http::Reply reply) override {
    HttpClient client(Url::parse(upstream_));
    std::string path(req.target());
    auto res = client.request(std::string(req.method_string()), path, req.body());
    if (req.method() == http::verb::get) tamper_(path, res.body);
    http::Response out{http::status(res.status), req.version()};
    out.body() = std::move(res.body);
    reply(std::move(out));
  }

  http::Response error(http::status status, const std::string& message, unsigned version) override {
    http::Response out{status, version};
    out.body() = message;
    return out;
  }

 private:
  std::string upstream_;
  Tamper tamper_;
};

TamperProxy::TamperProxy(const std::string& upstream_url, Tamper tamper)
    : forwarder_(std::make_unique<Forwarder>(upstream_url, std::move(tamper))),
      server_(std::make_unique<http::HttpServer>(*forwarder_, "127.0.0.1", 0)) {
  thread_ = std::thread([this] { server_->run(2); });
}

TamperProxy::~TamperProxy() {
  server_->stop();
  thread_.join();
}

std::string TamperProxy::url() const {
  return "http://127.0.0.1:" + std::to_string(server_->port());
}

}  // namespace rekap::test
