#include "present/render_sessions.hpp"

#include <fmt/format.h>

namespace natfw {

namespace {

using json = nlohmann::ordered_json;

json text_or_null(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json time_or_null(const std::optional<UnixMicros>& t) { return t ? json(format_iso_micros(*t)) : json(nullptr); }

json evidence_json(const SessionEvidence& e)
{
    if (e.source_kind == "db")
        return {{"db", e.source}, {"row", format_iso_micros(e.position)}, {"event", std::string(1, e.event)}};
    return {{"file", e.source}, {"line", e.position}, {"event", std::string(1, e.event)}, {"kind", e.source_kind}};
}

std::string evidence_text(const SessionEvidence& e)
{
    const char* what = e.event == 'C' ? "CONNECT" : "DISCONNECT";
    if (e.source_kind == "db")
        return fmt::format("{} in portal database {} (connection_log row connected at {})", what, e.source,
                           format_iso_micros(e.position));
    return fmt::format("{} at {}:{}{}", what, e.source, e.position, e.source_kind == "spool" ? " (hook spool)" : "");
}

} // namespace

json session_json(const SessionRecord& s)
{
    json sources = json::array();
    for (const auto& e : s.evidence)
        sources.push_back(evidence_json(e));
    return {{"user", s.user},
            {"profile", s.profile},
            {"connection", s.connection},
            {"vpn_proto", s.vpn_proto},
            {"ip4", text_or_null(s.ip4)},
            {"ip6", text_or_null(s.ip6)},
            {"connected_at", time_or_null(s.connected_at)},
            {"disconnected_at", time_or_null(s.disconnected_at)},
            {"originating_ip", text_or_null(s.originating)},
            {"ended_by", text_or_null(s.ended_by)},
            {"ended_why", text_or_null(s.inferred_why)},
            {"source", sources.empty() ? json(nullptr) : sources.front()},
            {"sources", sources}};
}

void append_session_text(std::string& out, const SessionRecord& s, std::string_view indent)
{
    auto it = std::back_inserter(out);
    std::string addresses = s.ip4;
    if (!s.ip6.empty())
        addresses += (addresses.empty() ? "" : " ") + s.ip6;
    fmt::format_to(it, "{}user:     {} (profile {}, {} connection {})\n", indent, s.user, s.profile, s.vpn_proto,
                   s.connection);
    fmt::format_to(it, "{}  held {} from {} until {}{}\n", indent, addresses.empty() ? "(address not logged)" : addresses,
                   s.connected_at ? format_iso_micros(*s.connected_at) : std::string("(before the sources start)"),
                   s.disconnected_at ? format_iso_micros(*s.disconnected_at) : std::string("(still connected)"),
                   s.ended_by == "inferred" ? " (end inferred: " + s.inferred_why + ")" : std::string());
    if (s.vpn_proto == "wireguard")
        fmt::format_to(it, "{}  WireGuard: the address is this peer's for the life of its configuration\n", indent);
    if (!s.originating.empty())
        fmt::format_to(it, "{}  connected from {}\n", indent, s.originating);
    for (const auto& e : s.evidence)
        fmt::format_to(it, "{}  evidence: {}\n", indent, evidence_text(e));
}

void append_user_text(std::string& out, const Answer& a)
{
    if (!a.users)
        return;
    const auto& u = *a.users;
    auto it = std::back_inserter(out);
    if (u.status == UserStatus::unique)
        fmt::format_to(it, "user:     {}{}\n", *u.user, u.reason.empty() ? "" : " (" + u.reason + ")");
    else
        fmt::format_to(it, "user {}: {}\n", user_status_name(u.status), u.reason);
}

} // namespace natfw
