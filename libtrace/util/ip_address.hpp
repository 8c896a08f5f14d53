#pragma once
// Addresses of either family as text: what sessions store and print.
#include <optional>
#include <string>
#include <string_view>

namespace natfw {

/// `text` as an IPv4 or IPv6 address in canonical form (IPv6 compressed and
/// lower case as RFC 5952 writes it; an IPv4-mapped `::ffff:a.b.c.d` read as
/// the IPv4 address); nullopt when it is neither.
std::optional<std::string> canonical_address(std::string_view text);

/// Whether `text` is a unique local (fc00::/7) or link-local (fe80::/10)
/// IPv6 address: never one that NAT66 maps clients to.
bool is_ipv6_local(std::string_view text);

/// Whether a canonical address is IPv6.
inline bool is_ipv6_text(std::string_view canonical) { return canonical.find(':') != std::string_view::npos; }

} // namespace natfw
