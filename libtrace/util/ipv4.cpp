#include "util/ipv4.hpp"

#include "util/number.hpp"

#include <arpa/inet.h>

#include <bit>
#include <charconv>

namespace natfw {

std::optional<Ipv4> parse_ipv4(std::string_view text)
{
    if (text.empty() || text.size() > 15)
        return std::nullopt;
    char buf[16];
    text.copy(buf, text.size());
    buf[text.size()] = '\0';
    in_addr addr{};
    if (inet_pton(AF_INET, buf, &addr) != 1)
        return std::nullopt;
    return ntohl(addr.s_addr);
}

std::string format_ipv4(Ipv4 address)
{
    // to_chars rather than inet_ntop: inet_ntop formats with sprintf, and
    // this runs for every candidate of every batch row.
    // The bound on the dot keeps GCC's -O3 overflow analysis quiet; four
    // octets and three dots never reach it.
    char buf[16];
    char* const end = buf + sizeof buf;
    char* p = buf;
    for (int shift = 24; shift >= 0; shift -= 8) {
        p = std::to_chars(p, end, (address >> shift) & 0xFFu).ptr;
        if (shift && p != end)
            *p++ = '.';
    }
    return std::string(buf, p);
}

namespace {

Ipv4 mask_of(unsigned len) { return len == 0 ? 0 : ~Ipv4{0} << (32 - len); }

std::optional<unsigned> prefix_of_mask(Ipv4 mask)
{
    // A netmask is contiguous when its inverse is one less than a power of two.
    Ipv4 inverse = ~mask;
    if ((inverse & (inverse + 1)) != 0)
        return std::nullopt;
    return static_cast<unsigned>(std::popcount(mask));
}

} // namespace

std::optional<Ipv4Range> parse_ipv4_network(std::string_view text)
{
    auto slash = text.find('/');
    auto base = parse_ipv4(text.substr(0, slash));
    if (!base)
        return std::nullopt;
    if (slash == std::string_view::npos)
        return Ipv4Range{*base, *base};
    auto suffix = text.substr(slash + 1);
    unsigned len = 0;
    if (suffix.find('.') != std::string_view::npos) {
        auto mask = parse_ipv4(suffix);
        if (!mask)
            return std::nullopt;
        auto prefix = prefix_of_mask(*mask);
        if (!prefix)
            return std::nullopt;
        len = *prefix;
    } else {
        auto n = parse_decimal(suffix, 0u, 32u);
        if (!n)
            return std::nullopt;
        len = *n;
    }
    Ipv4 mask = mask_of(len);
    return Ipv4Range{*base & mask, (*base & mask) | ~mask};
}

std::optional<Ipv4Range> parse_ipv4_dash_range(std::string_view text)
{
    auto dash = text.find('-');
    if (dash == std::string_view::npos)
        return std::nullopt;
    auto lo = parse_ipv4(text.substr(0, dash));
    auto hi = parse_ipv4(text.substr(dash + 1));
    if (!lo || !hi || *hi < *lo)
        return std::nullopt;
    return Ipv4Range{*lo, *hi};
}

std::string format_ipv4_range(Ipv4Range range)
{
    if (range.single())
        return format_ipv4(range.lo);
    Ipv4 size_minus_one = range.hi - range.lo;
    bool aligned = (size_minus_one & (size_minus_one + 1)) == 0 && (range.lo & size_minus_one) == 0;
    if (aligned) {
        unsigned len = 32 - static_cast<unsigned>(std::popcount(size_minus_one));
        return format_ipv4(range.lo) + "/" + std::to_string(len);
    }
    return format_ipv4(range.lo) + "-" + format_ipv4(range.hi);
}

} // namespace natfw
