#include "util/ipv6.hpp"

#include "util/number.hpp"

#include <arpa/inet.h>

#include <array>
#include <bit>
#include <cstdint>

namespace natfw {

std::optional<Ipv6> parse_ipv6(std::string_view text)
{
    std::array<char, INET6_ADDRSTRLEN + 1> buf{};
    if (text.empty() || text.size() >= buf.size())
        return std::nullopt;
    text.copy(buf.data(), text.size());
    in6_addr addr{};
    if (inet_pton(AF_INET6, buf.data(), &addr) != 1)
        return std::nullopt;
    Ipv6 out = 0;
    for (auto byte : addr.s6_addr)
        out = (out << 8) | byte;
    return out;
}

std::string format_ipv6(Ipv6 address)
{
    in6_addr addr{};
    for (int i = 15; i >= 0; --i, address >>= 8)
        addr.s6_addr[i] = static_cast<std::uint8_t>(address & 0xFFu);
    std::array<char, INET6_ADDRSTRLEN> out{};
    return inet_ntop(AF_INET6, &addr, out.data(), out.size());
}

namespace {

Ipv6 host_mask(unsigned len) { return len == 0 ? k_ipv6_max : len >= 128 ? Ipv6{0} : k_ipv6_max >> len; }

/// The number of set bits, which std::popcount does not take for __int128.
unsigned ones(Ipv6 v)
{
    return static_cast<unsigned>(std::popcount(static_cast<std::uint64_t>(v >> 64)) +
                                 std::popcount(static_cast<std::uint64_t>(v)));
}

} // namespace

std::optional<Ipv6Range> parse_ipv6_network(std::string_view text)
{
    auto slash = text.find('/');
    auto base = parse_ipv6(text.substr(0, slash));
    if (!base)
        return std::nullopt;
    if (slash == std::string_view::npos)
        return Ipv6Range{*base, *base};
    auto len = parse_decimal(text.substr(slash + 1), 0u, 128u);
    if (!len)
        return std::nullopt;
    Ipv6 host = host_mask(*len);
    return Ipv6Range{*base & ~host, (*base & ~host) | host};
}

std::optional<Ipv6Range> parse_ipv6_dash_range(std::string_view text)
{
    auto dash = text.find('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    auto lo = parse_ipv6(text.substr(0, dash));
    auto hi = parse_ipv6(text.substr(dash + 1));
    if (!lo || !hi || *hi < *lo)
        return std::nullopt;
    return Ipv6Range{*lo, *hi};
}

std::optional<Ipv6Range> parse_ipv6_range(std::string_view text)
{
    return text.find('-') == std::string_view::npos ? parse_ipv6_network(text) : parse_ipv6_dash_range(text);
}

std::string format_ipv6_range(Ipv6Range range)
{
    if (range.single())
        return format_ipv6(range.lo);
    Ipv6 size_minus_one = range.hi - range.lo;
    bool aligned = (size_minus_one & (size_minus_one + 1)) == 0 && (range.lo & size_minus_one) == 0;
    if (aligned)
        return format_ipv6(range.lo) + "/" + std::to_string(128 - ones(size_minus_one));
    return format_ipv6(range.lo) + "-" + format_ipv6(range.hi);
}

} // namespace natfw
