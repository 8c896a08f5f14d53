#pragma once
// Ports and port ranges as iptables, the kernel and people write them: the one
// reader behind rules, --dport matches, command-line ports and the kernel's
// ephemeral range.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natfw {

struct PortRange {
    std::uint16_t lo = 1;
    std::uint16_t hi = 65535;
    friend bool operator==(const PortRange&, const PortRange&) = default;
};

/// A port in decimal digits, nothing else, within `min`..65535: connections
/// and NAT port blocks start at 1, matches such as `--dport 0:1023` at 0.
/// On failure sets `why` ("port \"x\" is not a number", "port 70000 is
/// outside 1-65535").
std::optional<std::uint16_t> parse_port(std::string_view text, std::string& why, std::uint16_t min = 1);

/// `lo`, or `lo` and `hi` joined by one character of `separators` (iptables:
/// `-` or `:`), with lo <= hi. On failure sets `why` (the port's fault, or
/// "port range 9-1 is inverted").
std::optional<PortRange> parse_port_range(std::string_view text, std::string& why, std::string_view separators = "-:",
                                          std::uint16_t min = 1);

} // namespace natfw
