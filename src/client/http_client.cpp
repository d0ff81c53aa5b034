#include "client/http_client.hpp"

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <optional>

namespace rekap {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Url Url::parse(const std::string& url) {
  constexpr std::string_view kScheme = "http://";
  if (!url.starts_with(kScheme)) throw std::invalid_argument("URL must start with http://: " + url);
  std::string rest = url.substr(kScheme.size());
  std::size_t slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  Url u;
  u.base = slash == std::string::npos ? "" : rest.substr(slash);
  while (!u.base.empty() && u.base.back() == '/') u.base.pop_back();
  std::size_t colon = authority.rfind(':');
  if (colon == std::string::npos) {
    u.host = authority;
    u.port = "80";
  } else {
    u.host = authority.substr(0, colon);
    u.port = authority.substr(colon + 1);
  }
  if (u.host.empty() || u.port.empty()) throw std::invalid_argument("URL has no host: " + url);
  return u;
}

struct HttpClient::Impl {
  Url url;
  std::chrono::milliseconds timeout;
  net::io_context ioc;
  std::optional<beast::tcp_stream> stream;
  beast::flat_buffer buffer;

  void connect() {
    tcp::resolver resolver(ioc);
    auto endpoints = resolver.resolve(url.host, url.port);
    stream.emplace(ioc);
    stream->expires_after(timeout);
    stream->connect(endpoints);
    stream->socket().set_option(tcp::no_delay(true));
    buffer.clear();
  }

  HttpResult exchange(http::request<http::string_body>& req) {
    stream->expires_after(timeout);
    http::write(*stream, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    http::read(*stream, buffer, parser);
    auto res = parser.release();
    HttpResult out{int(res.result_int()), std::move(res.body()), {}};
    for (const auto& field : res) {
      std::string name(field.name_string());
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return char(std::tolower(c)); });
      out.headers[name] = std::string(field.value());
    }
    if (!res.keep_alive()) stream.reset();
    return out;
  }
};

HttpClient::HttpClient(Url url, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>()) {
  impl_->url = std::move(url);
  impl_->timeout = timeout;
}

HttpClient::~HttpClient() {
  close();
}

void HttpClient::close() {
  if (impl_->stream) {
    beast::error_code ec;
    impl_->stream->socket().shutdown(tcp::socket::shutdown_both, ec);
    impl_->stream.reset();
  }
}

void HttpClient::send_and_abandon(const std::string& method, const std::string& path,
                                  const std::string& body) {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.expires_after(impl_->timeout);
  tcp::resolver resolver(ioc);
  stream.connect(resolver.resolve(impl_->url.host, impl_->url.port));
  http::request<http::string_body> req{http::string_to_verb(method), impl_->url.base + path, 11};
  req.set(http::field::host, impl_->url.host);
  req.set(http::field::content_type, "application/json");
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}

HttpResult HttpClient::request(const std::string& method, const std::string& path,
                               const std::string& body, const std::string& content_type,
                               const HttpHeaders& headers) {
  http::request<http::string_body> req{http::string_to_verb(method), impl_->url.base + path, 11};
  req.set(http::field::host, impl_->url.host);
  req.set(http::field::user_agent, "rekap");
  req.keep_alive(true);
  for (const auto& [name, value] : headers) req.set(name, value);
  if (!body.empty() || method == "POST" || method == "PUT") {
    req.set(http::field::content_type, content_type);
    req.body() = body;
    req.prepare_payload();
  }
  bool reused = impl_->stream.has_value();
  try {
    if (!impl_->stream) impl_->connect();
    return impl_->exchange(req);
  } catch (const std::exception& first) {
    impl_->stream.reset();
    // A kept-alive connection may have been closed by the server between requests: retry once
    // on a fresh connection. A fresh connection that fails is reported.
    if (!reused) {
      throw HttpError(method + " " + path + " to " + impl_->url.host + ":" + impl_->url.port +
                      " failed: " + first.what());
    }
  }
  try {
    impl_->connect();
    return impl_->exchange(req);
  } catch (const std::exception& e) {
    impl_->stream.reset();
    throw HttpError(method + " " + path + " to " + impl_->url.host + ":" + impl_->url.port +
                    " failed: " + e.what());
  }
}

}  // namespace rekap
