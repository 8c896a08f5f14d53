#include "util/port.hpp"

#include "util/number.hpp"

#include <fmt/format.h>

namespace natfw {

std::optional<std::uint16_t> parse_port(std::string_view s, std::string& why, std::uint16_t min)
{
    // Wider than a port, so that 70000 is "outside", not "not a number".
    auto value = parse_decimal<unsigned long long>(s, 0, ~0ULL);
    if (!value) {
        why = fmt::format("port \"{}\" is not a number", s);
        return std::nullopt;
    }
    if (*value < min || *value > 65535) {
        why = fmt::format("port {} is outside {}-65535", s, min);
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(*value);
}

std::optional<PortRange> parse_port_range(std::string_view s, std::string& why, std::string_view separators,
                                          std::uint16_t min)
{
    auto sep = s.find_first_of(separators);
    auto lo = parse_port(s.substr(0, sep), why, min);
    if (!lo)
        return std::nullopt;
    if (sep == std::string_view::npos)
        return PortRange{*lo, *lo};
    auto hi = parse_port(s.substr(sep + 1), why, min);
    if (!hi)
        return std::nullopt;
    if (*hi < *lo) {
        why = fmt::format("port range {} is inverted", s);
        return std::nullopt;
    }
    return PortRange{*lo, *hi};
}

} // namespace natfw
