#pragma once
// IPv4 addresses as host-order integers, so ranges compare and index as numbers.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natfw {

using Ipv4 = std::uint32_t;

/// Parses dotted-quad notation strictly (inet_pton: no octal, no short forms).
std::optional<Ipv4> parse_ipv4(std::string_view text);

std::string format_ipv4(Ipv4 address);

/// An inclusive address interval; a CIDR block, a dash range or one address.
struct Ipv4Range {
    Ipv4 lo = 0;
    Ipv4 hi = 0;
    bool contains(Ipv4 a) const { return lo <= a && a <= hi; }
    bool single() const { return lo == hi; }
    friend bool operator==(const Ipv4Range&, const Ipv4Range&) = default;
};

/// Parses `A.B.C.D`, `A.B.C.D/len` or `A.B.C.D/M.M.M.M` (a contiguous netmask),
/// as iptables prints and accepts them. Host bits set below the prefix are
/// masked off, as iptables does.
std::optional<Ipv4Range> parse_ipv4_network(std::string_view text);

/// Parses `A.B.C.D-E.F.G.H` (as in SNAT targets and iprange); rejects inverted ranges.
std::optional<Ipv4Range> parse_ipv4_dash_range(std::string_view text);

/// The shortest faithful text: an address, `net/len` when the range is a CIDR
/// block, else `lo-hi`.
std::string format_ipv4_range(Ipv4Range range);

} // namespace natfw
