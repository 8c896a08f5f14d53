#include "present/render.hpp"
#include "present/render_sessions.hpp"

#include <nlohmann/json.hpp>

namespace natfw {

std::string render_json(const Query& q, const Answer& a)
{
    using json = nlohmann::ordered_json;
    json instants = json::array();
    for (auto t : q.instants)
        instants.push_back({{"time", format_iso_utc(t)}, {"unix", t}});
    json query = {{"input", q.input},
                  {"time", format_iso_utc(q.instants.front())},
                  {"unix", q.instants.front()},
                  {"zone", q.zone},
                  {"ip", format_ipv4(q.ip)},
                  {"port", q.port},
                  {"proto", q.proto.empty() ? json(nullptr) : json(q.proto)}};
    if (q.instants.size() > 1)
        query["instants"] = instants;
    if (q.inbound)
        query["direction"] = "inbound";
    if (q.has_window())
        query["window"] = {{"from", format_iso_utc(q.instants.front() - q.window_before)},
                           {"to", format_iso_utc(q.instants.back() + q.window_after)}};

    json candidates = json::array();
    for (const auto& c : a.candidates) {
        candidates.push_back({{"internal", c.internal},
                              {"node", c.snapshot->node},
                              {"snapshot", c.snapshot->path},
                              {"sha256", c.snapshot->sha256},
                              {"valid_from", format_iso_utc(c.snapshot->valid_from)},
                              {"valid_to", c.valid_to ? json(format_iso_utc(*c.valid_to)) : json(nullptr)},
                              {"line", c.line},
                              {"rule", c.rule},
                              {"proto", c.proto},
                              {"port_range", {c.ports.lo, c.ports.hi}},
                              {"conditions", c.conditions},
                              {"instant", format_iso_utc(c.instant)}});
        if (!c.excluded.empty())
            candidates.back()["except"] = c.excluded;
        if (a.users) {
            json sessions = json::array();
            for (const auto& s : c.sessions)
                sessions.push_back(session_json(s));
            candidates.back()["sessions"] = sessions;
        }
    }
    auto internal = a.internal();
    json out = {{"query", query},
                {"status", std::string(status_name(a.status))},
                {"internal", internal ? json(*internal) : json(nullptr)},
                {"candidates", candidates},
                {"warnings", a.warnings},
                {"message", a.reason}};
    if (a.users) {
        out["user"] = a.users->user ? json(*a.users->user) : json(nullptr);
        out["user_status"] = std::string(user_status_name(a.users->status));
        out["user_message"] = a.users->reason;
    } else {
        out["user"] = nullptr;
        out["user_status"] = nullptr;
    }
    return out.dump() + "\n";
}

std::string render_periods_json(const ForwardQuery& q, const std::vector<AddressPeriod>& periods)
{
    using json = nlohmann::ordered_json;
    json list = json::array();
    for (const auto& p : periods)
        list.push_back({{"node", p.node},
                        {"public_ip", p.public_addresses ? json(format_ipv4_range(*p.public_addresses)) : json(nullptr)},
                        {"proto", p.proto},
                        {"port_range", p.ports ? json({p.ports->lo, p.ports->hi}) : json(nullptr)},
                        {"valid_from", format_iso_utc(p.valid_from)},
                        {"valid_to", p.valid_to ? json(format_iso_utc(*p.valid_to)) : json(nullptr)},
                        {"snapshot", p.first.path},
                        {"sha256", p.first.sha256},
                        {"line", p.first_line},
                        {"rule", p.first_rule},
                        {"source", p.source},
                        {"shared", p.shared},
                        {"snapshots", p.snapshots},
                        {"last_snapshot", p.last.path}});
    json out = {{"internal", format_ipv4(q.address)},
                {"from", q.from ? json(format_iso_utc(*q.from)) : json(nullptr)},
                {"until", q.until ? json(format_iso_utc(*q.until)) : json(nullptr)},
                {"periods", list}};
    return out.dump() + "\n";
}

} // namespace natfw
