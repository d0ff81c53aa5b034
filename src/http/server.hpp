#pragma once
// A small HTTP/1.1 server on Boost.Beast: keep-alive connections on a pool of threads, a body
// limit chosen per request before the body is read, and handlers that may answer later from
// another thread (the sequencer answers after the group commit).
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/beast/http.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace rekap::http {

// Beast's HTTP vocabulary (status, field, verb, request_header, ...) is rekap's: http::status::ok
// anywhere in rekap names Beast's.
using namespace boost::beast::http;
using Request = request<string_body>;
using Response = response<string_body>;
// Called exactly once per request, from any thread.
using Reply = std::function<void(Response)>;

class Handler {
 public:
  virtual ~Handler() = default;
  // The largest body accepted for a request with this header.
  virtual std::size_t body_limit(const http::request_header<>& header) const = 0;
  // `peer` is the address the connection comes from (a reverse proxy's, behind one).
  virtual void handle(Request&& req, const boost::asio::ip::address& peer, Reply reply) = 0;
  // The answer to a request that could not be read (too large, malformed).
  virtual Response error(http::status status, const std::string& message, unsigned version) = 0;
};

class HttpServer {
 public:
  // Binds at once (throws on failure); port 0 picks a free port.
  HttpServer(Handler& handler, const std::string& address, std::uint16_t port);
  ~HttpServer();

  std::uint16_t port() const;
  // Serves on `threads` threads until stop(); returns when they have finished.
  void run(int threads);
  // Closes the listening socket; connections already open are still served.
  void stop_accepting();
  // Stops all threads; answers not yet written are dropped.
  void stop();
  boost::asio::io_context& context() { return ioc_; }

 private:
  class Listener;
  Handler& handler_;
  boost::asio::io_context ioc_;
  std::shared_ptr<Listener> listener_;
};

}  // namespace rekap::http
