#include "derive/session_builder.hpp"

#include "util/time_format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <tuple>

namespace natfw {

namespace {

std::string iso_micros(UnixMicros t)
{
    return format_iso_utc(seconds_of_micros(t));
}

int kind_rank(EventKind k)
{
    return k == EventKind::disconnect ? 0 : 1;
}

} // namespace

Session SessionBuilder::session_of(Merged&& m)
{
    Session s;
    s.user = std::move(m.event.user);
    s.profile = std::move(m.event.profile);
    s.connection = std::move(m.event.connection);
    s.vpn_proto = std::move(m.event.vpn_proto);
    s.ip4 = std::move(m.event.ip4);
    s.ip6 = std::move(m.event.ip6);
    s.originating = std::move(m.event.originating);
    s.connected_at = m.event.time;
    s.evidence = std::move(m.ids);
    return s;
}

bool event_order(const SourcedEvent& a, const SourcedEvent& b)
{
    return std::make_tuple(a.event.time, kind_rank(a.event.kind), a.source_id, a.id) <
           std::make_tuple(b.event.time, kind_rank(b.event.kind), b.source_id, b.id);
}

SessionBuilder::SessionBuilder(Sink sink) : m_sink(std::move(sink)) {}

void SessionBuilder::add(SourcedEvent&& se)
{
    // Nothing older than the window can absorb this event or any later one.
    settle_before(se.event.time - k_same_event_window);
    auto& e = se.event;
    if (auto it = m_latest.find(e.connection); it != m_latest.end()) {
        auto& last = m_recent[it->second - m_recent_base];
        bool same = last.event.kind == e.kind && e.time - last.event.time <= k_same_event_window &&
                    std::find(last.sources.begin(), last.sources.end(), se.source_id) == last.sources.end();
        if (same) {
            // Keep what one source knows and another does not.
            auto fill = [](std::string& to, std::string& from) {
                if (to.empty())
                    to = std::move(from);
            };
            fill(last.event.ip4, e.ip4);
            fill(last.event.ip6, e.ip6);
            fill(last.event.originating, e.originating);
            fill(last.event.user, e.user);
            fill(last.event.profile, e.profile);
            last.ids.push_back(se.id);
            last.sources.push_back(se.source_id);
            return;
        }
        m_latest.erase(it); // its key is a view of the older entry's text
    }
    m_recent.push_back({std::move(e), {se.id}, {se.source_id}});
    m_latest.emplace(m_recent.back().event.connection, m_recent_base + m_recent.size() - 1);
}

void SessionBuilder::settle_before(UnixMicros t)
{
    while (!m_recent.empty() && m_recent.front().event.time < t) {
        // Its key may be a view of this entry's text: drop it before the text moves.
        if (auto it = m_latest.find(m_recent.front().event.connection);
            it != m_latest.end() && it->second == m_recent_base)
            m_latest.erase(it);
        // In place: an event's text is moved once, into its session.
        on_event(m_recent.front());
        m_recent.pop_front();
        ++m_recent_base;
    }
}

void SessionBuilder::on_event(Merged& m)
{
    auto open = m_open_by_connection.find(m.event.connection);
    if (m.event.kind == EventKind::disconnect) {
        if (open != m_open_by_connection.end()) {
            auto slot = open->second;
            auto& s = m_open[slot]->session;
            s.disconnected_at = m.event.time;
            s.ended_by = SessionEnd::disconnect;
            s.evidence.insert(s.evidence.end(), m.ids.begin(), m.ids.end());
            close(slot);
            return;
        }
        // A DISCONNECT whose CONNECT the sources do not hold.
        Session s = session_of(std::move(m));
        s.disconnected_at = s.connected_at;
        s.connected_at.reset();
        s.ended_by = SessionEnd::disconnect;
        m_sink(std::move(s));
        return;
    }
    if (open != m_open_by_connection.end()) {
        auto slot = open->second;
        auto& s = m_open[slot]->session;
        s.disconnected_at = m.event.time;
        s.ended_by = SessionEnd::inferred;
        s.inferred_why =
            fmt::format("no DISCONNECT; the same connection connected again at {}", iso_micros(m.event.time));
        close(slot);
    }
    Open o;
    o.session = session_of(std::move(m));
    std::size_t slot = 0;
    if (m_free.empty()) {
        slot = m_open.size();
        m_open.emplace_back(std::move(o));
    } else {
        slot = m_free.back();
        m_free.pop_back();
        m_open[slot] = std::move(o);
    }
    m_open_by_connection.emplace(m_open[slot]->session.connection, slot);
    note_start(slot);
}

void SessionBuilder::note_start(std::size_t slot)
{
    const auto& s = m_open[slot]->session;
    // Events come in time order, so the first start noted on an open session
    // is the first after it; the IPv4 address is looked at first. A session
    // noted once leaves the lists: no later start can end it earlier.
    for (const auto* address : {&s.ip4, &s.ip6}) {
        if (address->empty())
            continue;
        auto& holders = m_open_by_address[*address];
        auto still = holders.begin();
        for (auto slot_held : holders) {
            auto& o = *m_open[slot_held];
            if (!(*o.session.connected_at < *s.connected_at)) {
                *still++ = slot_held;
                continue;
            }
            if (!o.reused_at) {
                o.reused_at = s.connected_at;
                o.reused_why = fmt::format("no DISCONNECT; {} was handed out again at {} (to {}, connection {})",
                                           *address, iso_micros(*s.connected_at), s.user, s.connection);
            }
        }
        holders.erase(still, holders.end());
        holders.push_back(slot);
    }
}

void SessionBuilder::forget_address(std::size_t slot)
{
    const auto& s = m_open[slot]->session;
    for (const auto* address : {&s.ip4, &s.ip6}) {
        if (address->empty())
            continue;
        if (auto it = m_open_by_address.find(*address); it != m_open_by_address.end()) {
            auto& holders = it->second;
            if (auto held = std::find(holders.begin(), holders.end(), slot); held != holders.end())
                holders.erase(held);
            if (holders.empty())
                m_open_by_address.erase(it);
        }
    }
}

void SessionBuilder::close(std::size_t slot)
{
    auto& s = m_open[slot]->session;
    forget_address(slot);
    m_open_by_connection.erase(s.connection);
    m_sink(std::move(s));
    m_open[slot].reset();
    m_free.push_back(slot);
}

void SessionBuilder::finish()
{
    settle_before(std::numeric_limits<UnixMicros>::max());
    for (std::size_t slot = 0; slot < m_open.size(); ++slot) {
        if (!m_open[slot])
            continue;
        auto& o = *m_open[slot];
        if (o.reused_at) {
            o.session.disconnected_at = o.reused_at;
            o.session.ended_by = SessionEnd::inferred;
            o.session.inferred_why = std::move(o.reused_why);
        }
        close(slot);
    }
}

std::vector<Session> build_sessions(std::vector<SourcedEvent> events)
{
    std::sort(events.begin(), events.end(), event_order);
    std::vector<Session> sessions;
    SessionBuilder builder([&](Session&& s) { sessions.push_back(std::move(s)); });
    for (auto& e : events)
        builder.add(std::move(e));
    builder.finish();
    auto key = [](const Session& s) {
        return std::pair<const std::string&, UnixMicros>(s.connection,
                                                         s.connected_at ? *s.connected_at : *s.disconnected_at);
    };
    std::stable_sort(sessions.begin(), sessions.end(),
                     [&](const Session& a, const Session& b) { return key(a) < key(b); });
    return sessions;
}

} // namespace natfw
