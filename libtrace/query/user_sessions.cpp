#include "query/user_sessions.hpp"

#include "util/ipv4.hpp"
#include "util/ipv6.hpp"

#include <limits>

namespace natfw {

namespace {

constexpr UnixMicros k_us = 1'000'000;

UnixSeconds floor_seconds(UnixMicros t) { return t >= 0 ? t / k_us : -((-t + k_us - 1) / k_us); }
UnixSeconds ceil_seconds(UnixMicros t) { return -floor_seconds(-t); }

} // namespace

std::vector<UserSession> user_sessions(SessionHistory& sessions, History& history, Timeline6* timeline6,
                                       const UserQuery& q)
{
    std::vector<UserSession> out;
    auto records = sessions.of_user(q.user, q.from.value_or(std::numeric_limits<UnixMicros>::min()),
                                    q.until ? *q.until + 999'999 : std::numeric_limits<UnixMicros>::max());
    for (auto& s : records) {
        UserSession us{std::move(s), {}};
        // A session held its address from connect to disconnect; rulesets
        // are in whole seconds, so the session is widened to whole seconds
        // rather than risk leaving out the ruleset in force at its edge.
        ForwardQuery fq;
        fq.node = q.node;
        if (us.session.connected_at)
            fq.from = floor_seconds(*us.session.connected_at);
        if (us.session.disconnected_at)
            fq.until = ceil_seconds(*us.session.disconnected_at);
        if (auto address = parse_ipv4(us.session.ip4)) {
            fq.address = *address;
            us.periods = forward_lookup(history, fq);
        }
        if (auto address6 = parse_ipv6(us.session.ip6); address6 && timeline6 && timeline6->any()) {
            fq.address6 = address6;
            auto six = forward_lookup6(*timeline6, history, fq);
            us.periods.insert(us.periods.end(), six.begin(), six.end());
        }
        out.push_back(std::move(us));
    }
    return out;
}

} // namespace natfw
