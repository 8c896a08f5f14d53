#include "derive/session_builder.hpp"

#include "util/time_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace natfw {

namespace {

/// One event after duplicates from other sources are folded into it.
struct Merged {
    ConnectionEvent event;
    std::vector<std::int64_t> ids;
    std::vector<std::int64_t> sources;
};

std::string iso_micros(UnixMicros t)
{
    return format_iso_utc(t >= 0 ? t / 1'000'000 : (t - 999'999) / 1'000'000);
}

std::vector<Merged> merge_duplicates(std::vector<SourcedEvent>& events)
{
    // Sorting indices, not the events: an event is eight strings.
    // At one instant a DISCONNECT comes before a CONNECT: a reconnect.
    std::vector<std::uint32_t> order(events.size());
    for (std::uint32_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
        const auto& a = events[x];
        const auto& b = events[y];
        return std::tie(a.event.connection, a.event.time, a.event.kind, a.source_id, a.id) <
               std::tie(b.event.connection, b.event.time, b.event.kind, b.source_id, b.id);
    });
    std::vector<Merged> out;
    out.reserve(events.size());
    for (auto i : order) {
        auto& se = events[i];
        auto& e = se.event;
        if (!out.empty()) {
            auto& last = out.back();
            bool same = last.event.connection == e.connection && last.event.kind == e.kind &&
                        e.time - last.event.time <= k_same_event_window &&
                        std::find(last.sources.begin(), last.sources.end(), se.source_id) == last.sources.end();
            if (same) {
                // Keep what one source knows and another does not.
                auto fill = [](std::string& to, const std::string& from) {
                    if (to.empty())
                        to = from;
                };
                fill(last.event.ip4, e.ip4);
                fill(last.event.ip6, e.ip6);
                fill(last.event.originating, e.originating);
                fill(last.event.user, e.user);
                fill(last.event.profile, e.profile);
                last.ids.push_back(se.id);
                last.sources.push_back(se.source_id);
                continue;
            }
        }
        out.push_back({std::move(e), {se.id}, {se.source_id}});
    }
    events.clear();
    events.shrink_to_fit();
    return out;
}

Session open_session(const Merged& c)
{
    Session s;
    s.user = c.event.user;
    s.profile = c.event.profile;
    s.connection = c.event.connection;
    s.vpn_proto = c.event.vpn_proto;
    s.ip4 = c.event.ip4;
    s.ip6 = c.event.ip6;
    s.originating = c.event.originating;
    s.connected_at = c.event.time;
    s.evidence = c.ids;
    return s;
}

/// Ends open sessions whose address was handed out again after they began.
void end_by_address_reuse(std::vector<Session>& sessions)
{
    // address -> starts of the sessions that held it, in time order
    std::map<std::string, std::vector<std::pair<UnixMicros, std::size_t>>> starts;
    for (std::size_t i = 0; i < sessions.size(); ++i) {
        const auto& s = sessions[i];
        if (!s.connected_at)
            continue;
        for (const auto* a : {&s.ip4, &s.ip6})
            if (!a->empty())
                starts[*a].emplace_back(*s.connected_at, i);
    }
    for (auto& [address, list] : starts)
        std::sort(list.begin(), list.end());
    for (auto& s : sessions) {
        if (s.ended_by != SessionEnd::open || !s.connected_at)
            continue;
        std::optional<std::pair<UnixMicros, std::size_t>> first;
        std::string via;
        for (const auto* a : {&s.ip4, &s.ip6}) {
            if (a->empty())
                continue;
            const auto& list = starts[*a];
            auto it = std::upper_bound(list.begin(), list.end(),
                                       std::make_pair(*s.connected_at, std::numeric_limits<std::size_t>::max()));
            if (it != list.end() && (!first || it->first < first->first)) {
                first = *it;
                via = *a;
            }
        }
        if (!first)
            continue;
        const auto& next = sessions[first->second];
        s.disconnected_at = first->first;
        s.ended_by = SessionEnd::inferred;
        s.inferred_why = fmt::format("no DISCONNECT; {} was handed out again at {} (to {}, connection {})", via,
                                     iso_micros(first->first), next.user, next.connection);
    }
}

} // namespace

std::vector<Session> build_sessions(std::vector<SourcedEvent> events)
{
    auto merged = merge_duplicates(events);
    std::vector<Session> sessions;
    std::optional<std::size_t> open; // index of the open session of the current connection id
    for (std::size_t i = 0; i < merged.size(); ++i) {
        const auto& m = merged[i];
        if (i > 0 && merged[i - 1].event.connection != m.event.connection)
            open.reset();
        if (m.event.kind == EventKind::connect) {
            if (open) {
                auto& s = sessions[*open];
                s.disconnected_at = m.event.time;
                s.ended_by = SessionEnd::inferred;
                s.inferred_why = fmt::format("no DISCONNECT; the same connection connected again at {}",
                                             iso_micros(m.event.time));
            }
            sessions.push_back(open_session(m));
            open = sessions.size() - 1;
            continue;
        }
        if (open) {
            auto& s = sessions[*open];
            s.disconnected_at = m.event.time;
            s.ended_by = SessionEnd::disconnect;
            s.evidence.insert(s.evidence.end(), m.ids.begin(), m.ids.end());
            open.reset();
            continue;
        }
        // A DISCONNECT whose CONNECT the sources do not hold.
        Session s = open_session(m);
        s.connected_at.reset();
        s.disconnected_at = m.event.time;
        s.ended_by = SessionEnd::disconnect;
        sessions.push_back(std::move(s));
    }
    end_by_address_reuse(sessions);
    return sessions;
}

} // namespace natfw
