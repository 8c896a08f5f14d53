#pragma once
// IPv6 addresses as 128-bit integers, so that prefixes and ranges compare as
// numbers, as IPv4 ones do (util/ipv4.hpp).
#include <optional>
#include <string>
#include <string_view>

namespace natfw {

__extension__ using Ipv6 = unsigned __int128; // GCC and Clang on every Debian architecture

inline constexpr Ipv6 k_ipv6_max = ~Ipv6{0};

/// Parses IPv6 text as inet_pton does (compressed forms, an embedded dotted
/// quad); nullopt for anything else, IPv4 included.
std::optional<Ipv6> parse_ipv6(std::string_view text);

/// The RFC 5952 form (compressed, lower case), as inet_ntop writes it.
std::string format_ipv6(Ipv6 address);

/// An inclusive address interval; a prefix, a dash range or one address.
struct Ipv6Range {
    Ipv6 lo = 0;
    Ipv6 hi = k_ipv6_max;
    bool contains(Ipv6 a) const { return lo <= a && a <= hi; }
    bool single() const { return lo == hi; }
    friend bool operator==(const Ipv6Range&, const Ipv6Range&) = default;
};

/// Parses `ADDR` or `ADDR/len` (0..128), host bits masked off as ip6tables
/// and nft do.
std::optional<Ipv6Range> parse_ipv6_network(std::string_view text);

/// Parses `ADDR-ADDR`; rejects inverted ranges.
std::optional<Ipv6Range> parse_ipv6_dash_range(std::string_view text);

/// Either of the two forms above.
std::optional<Ipv6Range> parse_ipv6_range(std::string_view text);

/// The shortest faithful text: an address, `net/len`, or `lo-hi`.
std::string format_ipv6_range(Ipv6Range range);

} // namespace natfw
