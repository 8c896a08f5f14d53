#include "present/render_user.hpp"
#include "present/printable_json.hpp"

#include "present/render_periods.hpp"
#include "present/render_sessions.hpp"

#include <fmt/format.h>

namespace natfw {

namespace {

using json = nlohmann::ordered_json;

std::string bound(const std::optional<UnixMicros>& t, const char* open)
{
    return t ? format_iso_micros(*t) : std::string(open);
}

} // namespace

std::string render_user_text(const UserQuery& q, const std::vector<UserSession>& sessions,
                             std::optional<UnixMicros> forgotten_before)
{
    std::string out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "user:     {} ({} .. {})\n", q.user, bound(q.from, "start of the sessions"), bound(q.until, "now"));
    if (forgotten_before && (!q.from || *q.from < *forgotten_before))
        fmt::format_to(it, "note:     sessions that ended before {} were forgotten (retention) and are not listed\n",
                       format_iso_micros(*forgotten_before));
    if (sessions.empty()) {
        fmt::format_to(it, "none: no session of this user {}is indexed\n", q.from || q.until ? "in that period " : "");
        return out;
    }
    for (const auto& us : sessions) {
        out += '\n';
        append_session_text(out, us.session, "");
        if (us.session.ip4.empty())
            fmt::format_to(it, "  NAT: no IPv4 address logged for this session\n");
        else if (us.periods.empty())
            fmt::format_to(it, "  NAT: no snapshot {}gives {} a public address and port block during the session\n",
                           q.node.empty() ? "" : fmt::format("of node {} ", q.node), us.session.ip4);
        const std::string* node = nullptr;
        for (const auto& p : us.periods) {
            if (!node || *node != p.node)
                fmt::format_to(it, "  NAT on node {}:\n", p.node);
            node = &p.node;
            append_period_text(out, p, "    ");
        }
    }
    return out;
}

std::string render_user_json(const UserQuery& q, const std::vector<UserSession>& sessions,
                             std::optional<UnixMicros> forgotten_before)
{
    json list = json::array();
    for (const auto& us : sessions) {
        json s = session_json(us.session);
        json periods = json::array();
        for (const auto& p : us.periods)
            periods.push_back(period_json(p));
        s["periods"] = periods;
        list.push_back(std::move(s));
    }
    json out = {{"user", q.user},
                {"from", q.from ? json(format_iso_micros(*q.from)) : json(nullptr)},
                {"until", q.until ? json(format_iso_micros(*q.until)) : json(nullptr)},
                {"forgotten_before", forgotten_before ? json(format_iso_micros(*forgotten_before)) : json(nullptr)},
                {"sessions", list}};
    return printable_json(out) + "\n";
}

} // namespace natfw
