#include "query/session_history.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>
#include <stdexcept>

#include "store/database.hpp"
#include "store/event_blocks.hpp"
#include "store/sql_values.hpp"
#include "store/statements.hpp"
#include "util/ip_address.hpp"

namespace natfw {

namespace {

/// Scanning an address's sessions backwards stops after this many that
/// ended before the window: one address holds one session at a time, so
/// only overlapping records (a DISCONNECT logged late) lie further back.
constexpr int k_ended_before_window = 8;

} // namespace

SessionHistory::SessionHistory(SQLite::Database& db, Mode mode, std::shared_ptr<SessionCache> cache)
    : m_db(db), m_mode(mode), m_blocks(std::move(cache)), m_block_reader(db)
{
    if (m_mode == Mode::batch && !m_blocks)
        m_blocks = std::make_shared<SessionCache>();
    SQLite::Statement retention(db, sql::k_retention);
    if (retention.executeStep())
        m_forgotten_before = optional_int64(retention, 0);
    SQLite::Statement sources(db, sql::k_session_sources);
    while (sources.executeStep()) {
        m_source_names[sources.getColumn(0).getInt64()] = {sources.getColumn(1).getString(),
                                                            sources.getColumn(2).getString()};
        SourceCoverage c{sources.getColumn(1).getString(), sources.getColumn(2).getString(),
                         optional_int64(sources, 3), optional_int64(sources, 4)};
        // What was forgotten is covered no more.
        if (m_forgotten_before && c.from && *c.from < *m_forgotten_before) {
            if (*c.to < *m_forgotten_before)
                c.from = c.to = std::nullopt;
            else
                c.from = m_forgotten_before;
        }
        m_sources.push_back(std::move(c));
    }
}

SessionRecord SessionHistory::read_row(SQLite::Statement& st)
{
    SessionRecord r;
    r.id = st.getColumn(0).getInt64();
    r.user = st.getColumn(1).getString();
    r.connection = st.getColumn(3).getString();
    r.ip4 = st.getColumn(5).getString();
    r.ip6 = st.getColumn(6).getString();
    r.connected_at = optional_int64(st, 8);
    r.disconnected_at = optional_int64(st, 9);
    r.ended_by = st.getColumn(10).getString();
    // A batch row names users and, in its message, their connections and times only.
    if (m_mode == Mode::batch)
        return r;
    r.profile = st.getColumn(2).getString();
    r.vpn_proto = st.getColumn(4).getString();
    r.originating = st.getColumn(7).getString();
    r.inferred_why = st.getColumn(11).getString();
    if (!m_evidence) {
        m_evidence.emplace(m_db, sql::k_session_evidence);
        m_events.emplace(m_db);
    }
    auto& ev = *m_evidence;
    ev.reset();
    ev.bind(1, r.id);
    std::vector<std::int64_t> ids;
    while (ev.executeStep())
        ids.push_back(ev.getColumn(0).getInt64());
    ev.reset();
    std::vector<SourcedEvent> events;
    for (auto id : ids)
        if (auto se = m_events->event(id))
            events.push_back(std::move(*se));
    std::sort(events.begin(), events.end(), [](const SourcedEvent& a, const SourcedEvent& b) {
        return std::make_pair(a.event.time, a.source_id) < std::make_pair(b.event.time, b.source_id);
    });
    for (const auto& se : events) {
        const auto& source = m_source_names[se.source_id];
        r.evidence.push_back({se.event.kind == EventKind::connect ? 'C' : 'D', se.event.time, source.first,
                              source.second, se.event.position});
    }
    return r;
}

template <typename ReadWhole>
void SessionHistory::scan_back(SQLite::Statement& st, int end_column, UnixMicros from, UnixMicros to,
                               std::vector<SessionRecord>& out, ReadWhole&& read_whole)
{
    int ended_before = 0;
    while (st.executeStep()) {
        auto end = optional_int64(st, end_column);
        if (end && *end < from) {
            if (++ended_before >= k_ended_before_window)
                break;
            continue;
        }
        if (auto r = read_whole(); r.overlaps(from, to))
            out.push_back(std::move(r));
    }
    st.reset();
}

SessionBlock::View SessionHistory::kept(Ipv4 ip)
{
    const std::uint32_t net = ip >> 8;
    if (!m_last_block || m_last_block->net != net) {
        auto block = m_local_blocks.find(net);
        if (block == m_local_blocks.end()) {
            // The shared cache costs a lock and atomic counts: once per /24 and worker.
            auto loaded = m_blocks->get(net, [&] { return m_block_reader.read(net); });
            if (m_local_blocks.size() >= k_max_local_blocks)
                m_local_blocks.clear(); // bounded like the shared cache
            block = m_local_blocks.emplace(net, std::move(loaded)).first;
        }
        m_last_block = block->second.get();
    }
    return m_last_block->of(ip);
}

namespace {

/// Asks for the sessions a walk from `end` reads first: the one before it,
/// and the one before that, whose `reach` usually ends the walk.
void prefetch_walk(const SessionBlock::View& list, std::size_t end)
{
    if (end >= 1)
        __builtin_prefetch(list.at + end - 1);
    if (end >= 2)
        __builtin_prefetch(list.at + end - 2);
}

} // namespace

std::size_t SessionHistory::started_by(const SessionBlock::View& list, UnixMicros to)
{
    return branch_free_upper_bound(list.starts, list.size, to);
}

template <typename Visit>
void SessionHistory::walk_block(const SessionBlock::View& list, std::size_t end, UnixMicros from, Visit&& visit)
{
    // scan_back's walk: newest start at or before the window's end first
    // (`end` = started_by(list, to)), and its stop after
    // k_ended_before_window sessions that ended before `from`. Where no
    // session up to i reaches `from`, that stop would only count the rest.
    auto i = end;
    int ended_before = 0;
    while (i-- > 0) {
        if (list.at[i].reach < from)
            break;
        if (list.end(i) < from) {
            if (++ended_before >= k_ended_before_window)
                break;
            continue;
        }
        // Started at or before `to`, ended at or after `from`: it overlaps.
        if (!visit(i))
            break;
    }
}

SessionHistory::Holder SessionHistory::holder_in(const SessionBlock::View& list, std::size_t end, UnixMicros from,
                                                 UnixMicros to, UnixMicros margin)
{
    std::optional<std::size_t> sole;
    bool more = false;
    walk_block(list, end, from - margin, [&](std::size_t i) {
        more = sole.has_value();
        sole = i;
        return !more;
    });
    if (more)
        return {};
    if (!sole)
        return {Holder::Kind::nobody, {}};
    if (list.start(*sole) > to || list.end(*sole) < from)
        return {};
    return {Holder::Kind::sole, list.user(*sole)};
}

SessionHistory::Holder SessionHistory::sole_holder(Ipv4 ip, UnixMicros from, UnixMicros to, UnixMicros margin)
{
    const HolderQuestion question{ip, from, to};
    Holder holder;
    sole_holders(std::span(&question, 1), margin, std::span(&holder, 1));
    return holder;
}

void SessionHistory::sole_holders(std::span<const HolderQuestion> questions, UnixMicros margin, std::span<Holder> out)
{
    static_assert(k_max_questions < k_max_local_blocks, "a group's blocks must all fit the local map");
    if (questions.size() > k_max_questions || out.size() != questions.size())
        throw std::logic_error("sole_holders: more questions than it takes, or answers not as many");
    if (m_mode != Mode::batch || !indexed()) {
        std::fill(out.begin(), out.end(), Holder{});
        return;
    }
    // Cleared now if at all: the views below point into the blocks it holds.
    if (m_local_blocks.size() + questions.size() > k_max_local_blocks) {
        m_local_blocks.clear();
        m_last_block = nullptr;
    }
    // Passes that each ask for the memory the next one reads: the searches
    // of the addresses' starts, a step of each at a time, then the sessions
    // before each place found, then the users.
    m_views.resize(questions.size());
    m_ends.resize(questions.size());
    m_searches.resize(questions.size());
    for (std::size_t i = 0; i < questions.size(); ++i) {
        m_views[i] = kept(questions[i].ip);
        m_searches[i] = {m_views[i].starts, m_views[i].size, questions[i].to + margin};
    }
    m_search.upper_bounds(m_searches, m_ends); // started_by() of each
    for (std::size_t i = 0; i < questions.size(); ++i)
        prefetch_walk(m_views[i], m_ends[i]);
    for (std::size_t i = 0; i < questions.size(); ++i) {
        const auto& q = questions[i];
        out[i] = holder_in(m_views[i], m_ends[i], q.from, q.to, margin);
        if (!out[i].user.empty())
            __builtin_prefetch(out[i].user.data()); // read when the caller copies it
    }
}

bool SessionHistory::held(const std::string& address, UnixMicros from, UnixMicros to)
{
    if (!indexed())
        return false;
    auto ip = m_mode == Mode::batch ? parse_ipv4(address) : std::nullopt;
    if (!ip) {
        std::vector<SessionRecord> found;
        holding(address, from, to, found);
        return !found.empty();
    }
    bool any = false;
    const auto list = kept(*ip);
    walk_block(list, started_by(list, to), from, [&](std::size_t) {
        any = true;
        return false;
    });
    return any;
}

void SessionHistory::holding(const std::string& address, UnixMicros from, UnixMicros to,
                             std::vector<SessionRecord>& out)
{
    if (!indexed())
        return;
    if (is_ipv6_text(address)) {
        if (!m_ip6)
            m_ip6.emplace(m_db, sql::k_sessions_ip6_before);
        m_ip6->reset();
        m_ip6->bind(1, address);
        m_ip6->bind(2, to);
        return scan_back(*m_ip6, 9, from, to, out, [&] { return read_row(*m_ip6); });
    }
    auto ip = parse_ipv4(address);
    if (!ip)
        return;
    // The walk reads the address index alone, and the table only for
    // sessions that may overlap: the k_ended_before_window others each cost
    // a seek in the table, and an answer with evidence reads an address's
    // sessions for every candidate.
    if (!m_ip4_ends) {
        m_ip4_ends.emplace(m_db, sql::k_session_ends_ip4_before);
        m_by_id.emplace(m_db, sql::k_session_by_id);
    }
    auto& ends = *m_ip4_ends;
    ends.reset();
    ends.bind(1, static_cast<std::int64_t>(*ip));
    ends.bind(2, to);
    scan_back(ends, 1, from, to, out, [&] {
        const auto id = ends.getColumn(0).getInt64();
        auto& row = *m_by_id;
        row.reset();
        row.bind(1, id);
        if (!row.executeStep()) // listed by the index in this read transaction
            throw IndexDamaged(fmt::format("session {} is in the address index but not in its table", id));
        auto r = read_row(row);
        row.reset();
        return r;
    });
}

void SessionHistory::holding(Ipv4Range range, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out)
{
    if (!indexed())
        return;
    if (range.single())
        return holding(format_ipv4(range.lo), from, to, out);
    if (!m_range)
        m_range.emplace(m_db, sql::k_sessions_ip4_range);
    auto& st = *m_range;
    st.reset();
    st.bind(1, static_cast<std::int64_t>(range.lo));
    st.bind(2, static_cast<std::int64_t>(range.hi));
    st.bind(3, from);
    st.bind(4, to);
    while (st.executeStep())
        out.push_back(read_row(st));
    st.reset();
}

void SessionHistory::holding(Ipv6Range range, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out)
{
    if (!indexed())
        return;
    if (range.single())
        return holding(format_ipv6(range.lo), from, to, out);
    if (!m_ip6_window)
        m_ip6_window.emplace(m_db, sql::k_sessions_ip6_window);
    auto& st = *m_ip6_window;
    st.reset();
    st.bind(1, from);
    st.bind(2, to);
    while (st.executeStep()) {
        auto ip6 = parse_ipv6(st.getColumn(6).getString());
        if (ip6 && range.contains(*ip6))
            out.push_back(read_row(st));
    }
}

std::vector<SessionRecord> SessionHistory::of_user(const std::string& user, UnixMicros from, UnixMicros to)
{
    std::vector<SessionRecord> out;
    SQLite::Statement st(m_db, sql::k_sessions_of_user);
    st.bind(1, user);
    st.bind(2, from);
    st.bind(3, to);
    while (st.executeStep())
        out.push_back(read_row(st));
    return out;
}

} // namespace natfw
