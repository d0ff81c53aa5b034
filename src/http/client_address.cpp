#include "http/client_address.hpp"

#include <optional>
#include <stdexcept>

namespace rekap::http {

namespace ip = boost::asio::ip;

namespace {

// IPv4 clients of a dual-stack socket arrive as ::ffff:a.b.c.d.
ip::address unmapped(const ip::address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped()) {
    return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  }
  return a;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One X-Forwarded-For entry: an address, possibly with a port ("1.2.3.4:80", "[2001:db8::1]:80").
std::optional<ip::address> parse_hop(std::string_view text) {
  boost::system::error_code ec;
  if (text.starts_with('[')) {
    auto close = text.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    text = text.substr(1, close - 1);
  } else if (text.find(':') != std::string_view::npos && text.find(':') == text.rfind(':')) {
    text = text.substr(0, text.find(':'));
  }
  ip::address a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  return unmapped(a);
}

}  // namespace

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const std::string& e : entries) {
    boost::system::error_code ec;
    if (e.find('/') == std::string::npos) {
      ip::address a = ip::make_address(e, ec);
      if (!ec && unmapped(a).is_v4()) {
        v4_.emplace_back(unmapped(a).to_v4(), 32);
      } else if (!ec) {
        v6_.emplace_back(a.to_v6(), 128);
      }
    } else if (e.find(':') == std::string::npos) {
      v4_.push_back(ip::make_network_v4(e, ec));
    } else {
      v6_.push_back(ip::make_network_v6(e, ec));
    }
    if (ec) {
      throw std::invalid_argument("trusted proxy '" + e +
                                  "' is neither an IP address nor a network such as 10.0.0.0/8");
    }
  }
}

bool TrustedProxies::contains(const ip::address& address) const {
  ip::address a = unmapped(address);
  if (a.is_v4()) {
    for (const auto& n : v4_) {
      if (ip::network_v4(a.to_v4(), n.prefix_length()).network() == n.network()) return true;
    }
    return false;
  }
  for (const auto& n : v6_) {
    if (ip::network_v6(a.to_v6(), n.prefix_length()).network() == n.network()) return true;
  }
  return false;
}

ip::address client_address(const ip::address& peer, std::string_view x_forwarded_for,
                           const TrustedProxies& trusted) {
  ip::address client = unmapped(peer);
  while (trusted.contains(client) && !x_forwarded_for.empty()) {
    auto comma = x_forwarded_for.rfind(',');
    std::string_view hop =
        trim(comma == std::string_view::npos ? x_forwarded_for : x_forwarded_for.substr(comma + 1));
    x_forwarded_for = comma == std::string_view::npos ? "" : x_forwarded_for.substr(0, comma);
    auto a = parse_hop(hop);
    if (!a) break;
    client = *a;
  }
  return client;
}

std::string client_key(const ip::address& client) {
  ip::address a = unmapped(client);
  if (a.is_v4()) return a.to_string();
  return ip::network_v6(a.to_v6(), 64).canonical().to_string();
}

}  // namespace rekap::http
