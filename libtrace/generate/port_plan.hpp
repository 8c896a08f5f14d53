#pragma once
// How a generated ruleset shares the public ports among client addresses:
// equal power-of-two blocks handed out downward from 65535, as the seed
// generator does, optionally kept clear of the kernel's ephemeral range.
#include "parse/ruleset.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace natfw {

inline constexpr std::uint16_t k_plan_highest_port = 65535;
/// Ports up to 1280 stay with the server itself (the seed's minimum).
inline constexpr std::uint16_t k_plan_lowest_port = 1281;

struct PortPlan {
    std::uint32_t ports_per_client = 0;
    std::vector<PortRange> blocks; ///< one per client, in client order
};

/// Blocks for `clients` addresses. The block size is the largest power of two
/// strictly below (available ports / clients), halved further while the
/// blocks do not fit around `avoid`. Throws Error when not even one port per
/// client fits.
PortPlan plan_ports(std::uint64_t clients, std::optional<PortRange> avoid = std::nullopt);

/// Reads a range written as "LO HI" or "LO-HI" (sysctl's
/// net.ipv4.ip_local_port_range prints "32768\t60999"). Throws UsageError.
PortRange parse_port_range_text(std::string_view text, std::string_view origin);

/// The kernel's ephemeral port range. Throws FileError / UsageError.
PortRange read_local_port_range(const std::filesystem::path& path = "/proc/sys/net/ipv4/ip_local_port_range");

} // namespace natfw
