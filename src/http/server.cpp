#include "http/server.hpp"
#include "util/thread_role.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <charconv>
#include <chrono>
#include <optional>

namespace rekap::http {

namespace beast = boost::beast;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr auto kIdleTimeout = std::chrono::seconds(60);
constexpr std::size_t kHeaderLimit = 16 * 1024;
constexpr auto kDrainTimeout = std::chrono::seconds(5);
constexpr std::size_t kDrainLimit = 64 * 1024 * 1024;

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, Handler& handler) : stream_(std::move(socket)), handler_(handler) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    if (!ec) peer_ = remote.address();
  }

  void start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
  }

 private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(kHeaderLimit);
    parser_->body_limit(boost::none);
    stream_.expires_after(kIdleTimeout);
    http::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec) return fail(ec);
    // The limit depends on the path, known only now: check a declared length here, and let the
    // parser enforce the limit on a chunked body as it arrives.
    std::size_t limit = handler_.body_limit(parser_->get().base());
    // Read from the header field: boost::optional trips GCC's maybe-uninitialized under ASan.
    std::string_view declared = parser_->get()[http::field::content_length];
    std::uint64_t length = 0;
    std::from_chars(declared.data(), declared.data() + declared.size(), length);
    if (length > limit) return fail(http::error::body_limit);
    parser_->body_limit(limit);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
  }

  void on_body(beast::error_code ec) {
    if (ec) return fail(ec);
    Request req = parser_->release();
    unsigned version = req.version();
    bool keep_alive = req.keep_alive();
    // The handler may answer from another thread; the answer is written on this session's strand.
    handler_.handle(
        std::move(req), peer_, [self = shared_from_this(), version, keep_alive](Response res) {
          res.version(version);
          res.keep_alive(keep_alive);
          net::post(self->stream_.get_executor(),
                    [self, res = std::move(res)]() mutable { self->write(std::move(res)); });
        });
  }

  void write(Response res) {
    // A HEAD answer carries the length of the body it leaves out.
    if (!res.has_content_length()) res.prepare_payload();
    auto sp = std::make_shared<Response>(std::move(res));
    bool close = !sp->keep_alive();
    stream_.expires_after(kIdleTimeout);
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp, close](beast::error_code ec, std::size_t) {
                        if (ec) return self->fail(ec);
                        if (close) return self->shutdown();
                        self->read_header();
                      });
  }

  void fail(beast::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return shutdown();
    }
    // A request that could not be read is answered, then the connection is closed: what is
    // left of its body cannot be skipped safely.
    http::status status =
        ec == http::error::body_limit ? http::status::payload_too_large : http::status::bad_request;
    std::string message = ec == http::error::body_limit
                              ? "request body is larger than the limit for this path"
                              : "malformed HTTP request: " + ec.message();
    unsigned version = parser_ && parser_->is_header_done() ? parser_->get().version() : 11;
    Response res = handler_.error(status, message, version);
    res.keep_alive(false);
    res.prepare_payload();
    auto sp = std::make_shared<Response>(std::move(res));
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), sp](beast::error_code, std::size_t) {
                        self->shutdown();
                        self->drain();
                      });
  }

  // Reads and discards what the client is still sending, so that closing the socket does not
  // reset the connection and destroy the error answer before the client has read it.
  void drain() {
    stream_.expires_after(kDrainTimeout);
    stream_.async_read_some(net::buffer(discard_),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_ += n;
                              if (!ec && self->drained_ < kDrainLimit) self->drain();
                            });
  }

  void shutdown() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Handler& handler_;
  net::ip::address peer_;
  std::array<char, 16 * 1024> discard_;
  std::size_t drained_ = 0;
};

}  // namespace

class HttpServer::Listener : public std::enable_shared_from_this<Listener> {
 public:
  Listener(net::io_context& ioc, tcp::endpoint endpoint, Handler& handler)
      : ioc_(ioc), acceptor_(net::make_strand(ioc)), handler_(handler) {
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }

  void accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [self = shared_from_this()](beast::error_code ec, tcp::socket socket) {
                             if (ec) {
                               if (ec != net::error::operation_aborted) {
                                 spdlog::warn("accept failed: {}", ec.message());
                                 self->accept();
                               }
                               return;
                             }
                             socket.set_option(tcp::no_delay(true));
                             std::make_shared<Session>(std::move(socket), self->handler_)->start();
                             self->accept();
                           });
  }

  void close() {
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
      beast::error_code ec;
      self->acceptor_.close(ec);
    });
  }

 private:
  net::io_context& ioc_;
  tcp::acceptor acceptor_;
  Handler& handler_;
};

HttpServer::HttpServer(Handler& handler, const std::string& address, std::uint16_t port)
    : handler_(handler) {
  listener_ = std::make_shared<Listener>(ioc_, tcp::endpoint(net::ip::make_address(address), port),
                                         handler_);
  listener_->accept();
}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::port() const {
  return listener_->port();
}

void HttpServer::run(int threads) {
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) {
    pool.emplace_back([this] {
      name_this_thread("rekap-http");
      ioc_.run();
    });
  }
  ioc_.run();
  for (auto& t : pool) t.join();
}

void HttpServer::stop_accepting() {
  listener_->close();
}

void HttpServer::stop() {
  listener_->close();
  ioc_.stop();
}

}  // namespace rekap::http
