#include "query/user_sessions.hpp"

#include "util/ipv4.hpp"

#include <limits>

namespace natfw {

namespace {

constexpr UnixMicros k_us = 1'000'000;

UnixSeconds floor_seconds(UnixMicros t) { return t >= 0 ? t / k_us : -((-t + k_us - 1) / k_us); }
UnixSeconds ceil_seconds(UnixMicros t) { return -floor_seconds(-t); }

} // namespace

std::vector<UserSession> user_sessions(SessionHistory& sessions, History& history, const UserQuery& q)
{
    std::vector<UserSession> out;
    auto records = sessions.of_user(q.user, q.from.value_or(std::numeric_limits<UnixMicros>::min()),
                                    q.until ? *q.until + 999'999 : std::numeric_limits<UnixMicros>::max());
    for (auto& s : records) {
        UserSession us{std::move(s), {}};
        // A session held its address from connect to disconnect; rulesets
        // are in whole seconds, so the session is widened to whole seconds
        // rather than risk leaving out the ruleset in force at its edge.
        if (auto address = parse_ipv4(us.session.ip4)) {
            ForwardQuery fq;
            fq.address = *address;
            fq.node = q.node;
            if (us.session.connected_at)
                fq.from = floor_seconds(*us.session.connected_at);
            if (us.session.disconnected_at)
                fq.until = ceil_seconds(*us.session.disconnected_at);
            us.periods = forward_lookup(history, fq);
        }
        out.push_back(std::move(us));
    }
    return out;
}

} // namespace natfw
