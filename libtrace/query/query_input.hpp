#pragma once
// Turning what a user typed (time, address, port, protocol) into a Query;
// every mistake is a UsageError with a one-line message.
#include "query/answer.hpp"
#include "util/time_parse.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// `tcp`, `udp` (any case), or empty for both; ICMP and others are refused
/// with the reason.
std::string parse_proto(std::string_view text);

/// A source port, 1 to 65535.
std::uint16_t parse_port_arg(std::string_view text);

/// A public IPv4 address.
Ipv4 parse_ip_arg(std::string_view text);

/// A duration for --skew / --flow-age: seconds, or a number with s, m, h or d
/// (`300`, `90s`, `15m`, `2h`, `5d`), at most 3650 days.
UnixSeconds parse_duration(std::string_view text, std::string_view option);

/// Sets the query's window from --skew and --flow-age: [t - max(skew, flow
/// age), t + skew].
void set_window(Query& query, UnixSeconds skew, UnixSeconds flow_age);

/// Checks the three positionals and builds the query.
Query make_query(const std::vector<std::string>& args, const std::string& proto, const std::string& node,
                 const TimeParser& times);

} // namespace natfw
