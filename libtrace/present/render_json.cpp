#include "present/render.hpp"
#include "present/printable_json.hpp"
#include "present/answer_json.hpp"
#include "present/render_sessions.hpp"

#include <nlohmann/json.hpp>

namespace natfw {

nlohmann::ordered_json answer_json(const Query& q, const Answer& a)
{
    using json = nlohmann::ordered_json;
    json instants = json::array();
    for (auto t : q.instants)
        instants.push_back({{"time", format_iso_utc(t)}, {"unix", t}});
    json query = {{"input", q.input},
                  {"time", format_iso_utc(q.instants.front())},
                  {"unix", q.instants.front()},
                  {"zone", q.zone},
                  {"ip", query_address(q)},
                  {"port", q.port ? json(q.port) : json(nullptr)},
                  {"proto", q.proto.empty() ? json(nullptr) : json(q.proto)}};
    if (q.instants.size() > 1)
        query["instants"] = instants;
    if (q.inbound)
        query["direction"] = "inbound";
    if (q.client)
        query["client_address"] = true;
    if (q.has_window())
        query["window"] = {{"from", format_iso_utc(q.instants.front() - q.window_before)},
                           {"to", format_iso_utc(q.instants.back() + q.window_after)}};

    json candidates = json::array();
    for (const auto& c : a.candidates) {
        if (!c.snapshot) {
            // A client's own address: no rule, the sessions are the evidence.
            json sessions = json::array();
            for (const auto& sess : c.sessions)
                sessions.push_back(session_json(sess));
            candidates.push_back({{"internal", c.internal},
                                  {"node", nullptr},
                                  {"snapshot", nullptr},
                                  {"nat", false},
                                  {"instant", format_iso_utc(c.instant)},
                                  {"sessions", sessions}});
            continue;
        }
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
    return out;
}

std::string render_json(const Query& q, const Answer& a)
{
    return printable_json(answer_json(q, a)) + "\n";
}

} // namespace natfw
