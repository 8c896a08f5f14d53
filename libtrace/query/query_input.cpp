#include "query/query_input.hpp"

#include "util/errors.hpp"
#include "util/ip_address.hpp"
#include "util/number.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace natfw {

std::string parse_proto(std::string_view text)
{
    std::string p = to_lower(text);
    if (p.empty() || p == "tcp" || p == "udp")
        return p;
    if (p == "6")
        return "tcp"; // IANA protocol numbers, as some exports write them
    if (p == "17")
        return "udp";
    if (p == "icmp" || p == "1")
        throw UsageError("ICMP has no ports: an ICMP error travels with the connection it belongs to, and an ICMP "
                         "echo is translated without a port block; look up that connection's tcp or udp port");
    throw UsageError(fmt::format("protocol \"{}\" has no ports this tool can trace; use tcp or udp", text));
}

std::uint16_t parse_port_arg(std::string_view text)
{
    std::string why;
    auto port = parse_port(text, why);
    if (!port)
        throw UsageError(why);
    return *port;
}

Ipv4 parse_ip_arg(std::string_view text)
{
    auto ip = parse_ipv4(text);
    if (!ip)
        throw UsageError(fmt::format("\"{}\" is not an IPv4 address", text));
    return *ip;
}

namespace {

/// `IPV4:PORT` or `[IPV6]:PORT` as (address, port); an unbracketed IPv6
/// address is always the whole address.
std::pair<std::string_view, std::string_view> split_address_port(std::string_view text)
{
    if (!text.empty() && text.front() == '[') {
        auto close = text.find("]:");
        if (close == std::string_view::npos)
            throw UsageError(fmt::format("\"{}\": write an IPv6 address with a port as [ADDRESS]:PORT", text));
        return {text.substr(1, close - 1), text.substr(close + 2)};
    }
    auto colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) == std::string_view::npos)
        return {text.substr(0, colon), text.substr(colon + 1)};
    return {text, {}};
}

} // namespace

Query make_query(const std::vector<std::string>& args, const std::string& proto, const std::string& node,
                 const TimeParser& times)
{
    if (args.size() != 3 && args.size() != 2)
        throw UsageError(fmt::format("expected TIME PUBLIC_IP PORT (or TIME CLIENT_ADDRESS), got {} argument(s); "
                                     "quote a time with spaces: \"2020-12-26 13:37:42\"",
                                     args.size()));
    auto [address_text, port_text] = split_address_port(args[1]);
    if (!port_text.empty() && args.size() == 3)
        throw UsageError(fmt::format("the port is given twice: in \"{}\" and as \"{}\"", args[1], args[2]));
    if (args.size() == 3)
        port_text = args[2];
    Query q;
    q.input = args[0];
    q.proto = parse_proto(proto);
    // `65300/tcp`, as complaints and port scanners write it.
    if (auto slash = port_text.find('/'); slash != std::string_view::npos) {
        auto port_only = port_text.substr(0, slash), port_proto = port_text.substr(slash + 1);
        auto named = port_proto.empty() ? std::string() : parse_proto(port_proto);
        if (named.empty() || port_only.empty())
            throw UsageError(fmt::format("\"{}\": write the protocol after the port, as 65300/tcp or 65300/udp",
                                         port_text));
        if (!q.proto.empty() && q.proto != named)
            throw UsageError(fmt::format("the protocol is given twice and differs: --proto {} and \"{}\"", proto,
                                         port_text));
        q.proto = named;
        port_text = port_only;
    }
    auto address = canonical_address(address_text);
    if (!address)
        throw UsageError(fmt::format("\"{}\" is not an IPv4 or IPv6 address", address_text));
    q.address = *address;
    // Without a port the question can only be whose address it was.
    q.client = port_text.empty();
    if (!is_ipv6_text(q.address))
        q.ip = parse_ip_arg(q.address);
    if (!port_text.empty())
        q.port = parse_port_arg(port_text);
    q.node = node;
    ParsedTime t = times.parse(args[0]);
    q.instants = std::move(t.instants);
    q.zone = std::move(t.zone);
    return q;
}

UnixSeconds parse_duration(std::string_view text, std::string_view option)
{
    std::string_view digits = text;
    UnixSeconds unit = 1;
    if (!text.empty()) {
        switch (text.back()) {
        case 's': unit = 1; break;
        case 'm': unit = 60; break;
        case 'h': unit = 3600; break;
        case 'd': unit = 86400; break;
        default: unit = 0; break;
        }
        if (unit)
            digits.remove_suffix(1);
        else
            unit = 1;
    }
    constexpr UnixSeconds k_max = 3650 * 86400;
    auto n = parse_decimal<UnixSeconds>(digits, 0, k_max / unit);
    if (!n)
        throw UsageError(fmt::format("{} \"{}\" is not a duration: give seconds, or a number with s, m, h or d "
                                     "(e.g. 300, 15m, 5d), at most 3650d",
                                     option, text));
    return *n * unit;
}

void set_window(Query& query, UnixSeconds skew, UnixSeconds flow_age)
{
    query.window_before = std::max(skew, flow_age);
    query.window_after = skew;
}

} // namespace natfw
