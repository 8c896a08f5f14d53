#include "query/client_address.hpp"

#include "util/errors.hpp"
#include "util/ip_address.hpp"

#include <fmt/format.h>

#include <optional>
#include <string>

namespace natfw {

namespace {

constexpr UnixMicros k_us = 1'000'000;

std::vector<SessionRecord> holding(SessionHistory& sessions, const Query& q)
{
    std::vector<SessionRecord> out;
    if (sessions.indexed())
        sessions.holding(q.address, (q.instants.front() - q.window_before) * k_us,
                         (q.instants.back() + q.window_after) * k_us, out);
    return out;
}

std::optional<std::string> nat_address_without_port(History& history, const Query& q)
{
    if (q.port != 0 || is_ipv6_text(q.address))
        return std::nullopt;
    for (const auto& node : history.nodes()) {
        if (!q.node.empty() && node.name != q.node)
            continue;
        for (auto t : q.instants) {
            SnapshotPtr s = history.usable_at(node, t);
            if (s && (history.maps_address(s->ruleset_id, 6, q.ip) || history.maps_address(s->ruleset_id, 17, q.ip)))
                return fmt::format("no port: {} is an address that source NAT rules in force then translate to "
                                   "(node {}, {}); without the source port every client behind it is a candidate, "
                                   "so give the port",
                                   q.address, node.name, s->path);
        }
    }
    return std::nullopt;
}

} // namespace

bool held_by_a_client(SessionHistory& sessions, const Query& q)
{
    return sessions.held(q.address, (q.instants.front() - q.window_before) * k_us,
                         (q.instants.back() + q.window_after) * k_us);
}

Answer client_address_without_sessions(const Query& q)
{
    Answer a;
    a.status = Status::none;
    a.reason = "a client's own address is answered from the VPN sessions, and the index holds none";
    if (q.port == 0 && !is_ipv6_text(q.address))
        a.reason += "; if it is a public address the VPN NATs to, give the source port too";
    return a;
}

Answer answer_client_address(SessionHistory& sessions, const Query& q)
{
    if (!sessions.indexed())
        return client_address_without_sessions(q);
    Answer a;
    if (holding(sessions, q).empty()) {
        a.status = Status::none;
        a.reason = fmt::format("no VPN session held {} then", q.address);
        if (q.port == 0 && !is_ipv6_text(q.address))
            a.reason += "; if it is a public address the VPN NATs to, give the source port too";
        return a;
    }
    a.status = Status::unique;
    a.reason = "a VPN client's own address, not NATed: answered from the sessions alone";
    Candidate c;
    c.internal = q.address;
    c.single_host = true;
    c.proto = q.proto;
    c.instant = q.instants.front();
    a.candidates.push_back(std::move(c));
    return a;
}

void answer_client_if_held(SessionHistory& sessions, History& history, Query& q, Answer& a)
{
    if (!q.client && !q.inbound && a.candidates.empty() && held_by_a_client(sessions, q))
        q.client = true;
    if (!q.client)
        return;
    a = answer_client_address(sessions, q);
    if (a.status == Status::none)
        if (auto why = nat_address_without_port(history, q))
            throw UsageError(*why);
}

} // namespace natfw
