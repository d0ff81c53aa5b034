#pragma once
// Who a request comes from, for rate limits: the connection's peer, or, when the peer is a
// reverse proxy the operator trusts, the client that proxy names in X-Forwarded-For. Pure logic.
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace rekap::http {

class TrustedProxies {
 public:
  TrustedProxies() = default;
  // Each entry an address or a network ("10.0.0.1", "10.0.0.0/8", "fd00::/8"). Throws
  // std::invalid_argument naming an entry that is neither.
  explicit TrustedProxies(const std::vector<std::string>& entries);
  bool contains(const boost::asio::ip::address& a) const;
  bool empty() const { return v4_.empty() && v6_.empty(); }

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

// The client: `peer` itself unless it is a trusted proxy; then X-Forwarded-For (every such
// header's value joined with commas) read from the right, past the trusted proxies, to the
// first address that is not one. An entry that is not an address ends the walk at the last
// trusted hop: what lies left of it was written by nobody the operator trusts.
boost::asio::ip::address client_address(const boost::asio::ip::address& peer,
                                        std::string_view x_forwarded_for,
                                        const TrustedProxies& trusted);

// The rate-limit key of a client: an IPv4 address, or the /64 network of an IPv6 one (a home or
// phone usually holds a whole /64, so its addresses count as one client).
std::string client_key(const boost::asio::ip::address& client);

}  // namespace rekap::http
