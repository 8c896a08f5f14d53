#include "parse/connection_message.hpp"

#include "util/ip_address.hpp"

#include <fmt/format.h>

namespace natfw {

namespace {

bool is_id_char(char c)
{
    // Profile ids are [a-z0-9-]; connection ids are a certificate CN (hex)
    // or a WireGuard key (base64): none holds a space, a colon in the
    // connection part, or parentheses.
    return c != ' ' && c != '(' && c != ')' && c != '[' && c != ']' && static_cast<unsigned char>(c) > 0x20;
}

/// At `text[i]`: `(PROFILE:CONNECTION)`; returns the index after `)` or npos.
std::size_t read_ids(std::string_view text, std::size_t i, ConnectionEvent& out)
{
    if (i >= text.size() || text[i] != '(')
        return std::string_view::npos;
    auto colon = text.find(':', i + 1);
    auto close = text.find(')', i + 1);
    if (colon == std::string_view::npos || close == std::string_view::npos || colon > close || colon == i + 1 ||
        close == colon + 1)
        return std::string_view::npos;
    for (auto k = i + 1; k < close; ++k)
        if (k != colon && !is_id_char(text[k]))
            return std::string_view::npos;
    out.profile.assign(text.substr(i + 1, colon - i - 1));
    out.connection.assign(text.substr(colon + 1, close - colon - 1));
    if (out.profile.find(':') != std::string::npos)
        return std::string_view::npos;
    return close + 1;
}

/// `[ORIGINATING => IP4,IP6]` at the start of `rest`; returns what follows or nullopt.
bool read_addresses(std::string_view rest, ConnectionEvent& out, std::string& problem,
                    CanonicalAddresses& canonical_address)
{
    auto close = rest.find(']');
    if (rest.empty() || rest.front() != '[' || close == std::string_view::npos) {
        problem = "no [ORIGINATING_IP => IPv4,IPv6] after the connection";
        return false;
    }
    auto inner = rest.substr(1, close - 1);
    auto arrow = inner.find(" => ");
    if (arrow == std::string_view::npos) {
        problem = "no \" => \" inside [ORIGINATING_IP => IPv4,IPv6]";
        return false;
    }
    auto originating = inner.substr(0, arrow);
    auto pair = inner.substr(arrow + 4);
    auto comma = pair.find(',');
    if (comma == std::string_view::npos) {
        problem = "no \",\" between the IPv4 and IPv6 address";
        return false;
    }
    auto ip4 = pair.substr(0, comma), ip6 = pair.substr(comma + 1);
    out.originating.clear();
    if (originating != "*") {
        const auto& a = canonical_address(originating);
        if (!a) {
            problem = fmt::format("originating address \"{}\" is not an IP address", originating);
            return false;
        }
        out.originating = *a;
    }
    out.ip4.clear();
    out.ip6.clear();
    if (!ip4.empty()) {
        const auto& a = canonical_address(ip4);
        if (!a || is_ipv6_text(*a)) {
            problem = fmt::format("\"{}\" is not an IPv4 address", ip4);
            return false;
        }
        out.ip4 = *a;
    }
    if (!ip6.empty()) {
        const auto& a = canonical_address(ip6);
        if (!a || !is_ipv6_text(*a)) {
            problem = fmt::format("\"{}\" is not an IPv6 address", ip6);
            return false;
        }
        out.ip6 = *a;
    }
    if (out.ip4.empty() && out.ip6.empty()) {
        problem = "the connection has neither an IPv4 nor an IPv6 address";
        return false;
    }
    auto after = rest.substr(close + 1);
    // The portal may append " [AUTH_DATA=...]"; nothing else is ours.
    if (!after.empty() && !after.starts_with(" [")) {
        problem = fmt::format("unexpected \"{}\" after the addresses", after.substr(0, 40));
        return false;
    }
    return true;
}

} // namespace

MessageVerdict parse_connection_message(std::string_view text, ConnectionEvent& out, std::string& problem,
                                        CanonicalAddresses* addresses)
{
    // One message alone gets a cache of its own: an empty map costs nothing.
    CanonicalAddresses own;
    auto& canonical = addresses ? *addresses : own;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
        text.remove_suffix(1);
    std::string_view rest;
    if (text.starts_with("CONNECT ")) {
        out.kind = EventKind::connect;
        rest = text.substr(8);
    } else if (text.starts_with("DISCONNECT ")) {
        out.kind = EventKind::disconnect;
        rest = text.substr(11);
    } else {
        return MessageVerdict::unrelated;
    }
    // The user id comes first and may itself hold spaces or parentheses (it
    // is whatever the identity provider says): the ids are the first
    // " (P:C)" that the rest of the message fits after.
    for (std::size_t at = rest.find(" ("); at != std::string_view::npos; at = rest.find(" (", at + 1)) {
        if (at == 0)
            continue;
        auto end = read_ids(rest, at + 1, out);
        if (end == std::string_view::npos)
            continue;
        auto tail = rest.substr(end);
        if (out.kind == EventKind::disconnect) {
            if (!tail.empty())
                continue;
            out.ip4.clear();
            out.ip6.clear();
            out.originating.clear();
        } else {
            if (!tail.starts_with(" ["))
                continue;
            if (!read_addresses(tail.substr(1), out, problem, canonical))
                return MessageVerdict::malformed;
        }
        out.user.assign(rest.substr(0, at));
        return MessageVerdict::event;
    }
    problem = out.kind == EventKind::connect
                  ? "expected CONNECT USER (PROFILE:CONNECTION) [ORIGINATING_IP => IPv4,IPv6]"
                  : "expected DISCONNECT USER (PROFILE:CONNECTION)";
    return MessageVerdict::malformed;
}

} // namespace natfw
