#include "store/session_store.hpp"

#include "store/sql_values.hpp"
#include "store/statements.hpp"
#include "util/ipv4.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace natfw {

namespace {

void bind_text_or_null(SQLite::Statement& st, int index, const std::string& v)
{
    if (v.empty())
        st.bind(index);
    else
        st.bind(index, v);
}

} // namespace

std::string_view source_kind_name(SourceKind k)
{
    switch (k) {
    case SourceKind::log:
        return "log";
    case SourceKind::db:
        return "db";
    case SourceKind::spool:
        return "spool";
    }
    return "log";
}

SessionStore::SessionStore(SQLite::Database& db)
    : m_db(db), m_find_file(db, sql::k_find_source_file), m_find_name(db, sql::k_find_source_name),
      m_insert_source(db, sql::k_insert_source), m_update_source(db, sql::k_update_source),
      m_insert_event(db, sql::k_insert_event)
{
    m_last_event_before = last_event_id();
    SQLite::Statement retention(db, sql::k_retention);
    if (retention.executeStep())
        m_forgotten_before = optional_int64(retention, 0);
    if (m_forgotten_before) {
        SQLite::Statement across(db, sql::k_sessions_across_horizon);
        across.bind(1, *m_forgotten_before);
        while (across.executeStep())
            m_across_horizon.insert(across.getColumn(0).getString());
    }
}

SourceState SessionStore::source(const SourceIdentity& id, std::int64_t now)
{
    auto& find = id.file ? m_find_file : m_find_name;
    find.reset();
    find.bind(1, std::string(source_kind_name(id.kind)));
    if (id.file) {
        find.bind(2, id.file->first);
        find.bind(3, id.file->second);
    } else {
        find.bind(2, id.name);
    }
    SourceState s;
    s.name = id.name;
    if (find.executeStep()) {
        s.id = find.getColumn(0).getInt64();
        s.is_new = false;
        s.size = find.getColumn(2).getInt64();
        s.mtime_ns = find.getColumn(3).getInt64();
        s.resume.offset = find.getColumn(4).getInt64();
        s.resume.line = find.getColumn(5).getInt64();
        s.resume.year = find.getColumn(6).getInt();
        s.resume.month = find.getColumn(7).getInt();
        s.resume.last_time = find.getColumn(8).getInt64();
        s.covered_from = optional_int64(find, 9);
        s.covered_to = optional_int64(find, 10);
        find.reset();
        return s;
    }
    find.reset();
    m_insert_source.reset();
    m_insert_source.bind(1, std::string(source_kind_name(id.kind)));
    m_insert_source.bind(2, id.name);
    if (id.file) {
        m_insert_source.bind(3, id.file->first);
        m_insert_source.bind(4, id.file->second);
    } else {
        m_insert_source.bind(3);
        m_insert_source.bind(4);
    }
    m_insert_source.bind(5, now);
    m_insert_source.exec();
    s.id = m_db.getLastInsertRowid();
    return s;
}

void SessionStore::update_source(const SourceState& s, const std::optional<std::string>& year_note, std::int64_t now)
{
    auto& u = m_update_source;
    u.reset();
    u.bind(1, s.id);
    u.bind(2, s.name);
    u.bind(3, s.size);
    u.bind(4, s.mtime_ns);
    u.bind(5, s.resume.offset);
    u.bind(6, s.resume.line);
    u.bind(7, s.resume.year);
    u.bind(8, s.resume.month);
    u.bind(9, s.resume.last_time);
    bind_optional(u, 10, s.covered_from);
    bind_optional(u, 11, s.covered_to);
    if (year_note && !year_note->empty())
        u.bind(12, *year_note);
    else
        u.bind(12);
    u.bind(13, now);
    u.exec();
}

bool SessionStore::add_event(std::int64_t source_id, const ConnectionEvent& e)
{
    if (m_forgotten_before && e.time < *m_forgotten_before && !m_across_horizon.count(e.connection)) {
        ++m_forgotten_skipped; // forgotten on purpose: an old export must not bring it back
        return false;
    }
    auto& st = m_insert_event;
    st.reset();
    st.bind(1, source_id);
    st.bind(2, e.position);
    st.bind(3, e.kind == EventKind::connect ? "C" : "D");
    st.bind(4, e.time);
    st.bind(5, e.user);
    st.bind(6, e.profile);
    st.bind(7, e.connection);
    st.bind(8, e.vpn_proto);
    bind_text_or_null(st, 9, e.ip4);
    bind_text_or_null(st, 10, e.ip6);
    bind_text_or_null(st, 11, e.originating);
    if (st.exec() != 1)
        return false;
    m_earliest_new = m_earliest_new ? std::min(*m_earliest_new, e.time) : e.time;
    return true;
}

std::size_t SessionStore::rebuild_sessions()
{
    auto count = [&] {
        SQLite::Statement n(m_db, sql::k_count_sessions);
        n.executeStep();
        return static_cast<std::size_t>(n.getColumn(0).getInt64());
    };
    if (!m_earliest_new)
        return count();
    m_db.exec(sql::k_rebuild_make_lists);
    {
        SQLite::Statement list(m_db, sql::k_rebuild_list_sessions);
        list.bind(1, *m_earliest_new - 2 * k_same_event_window);
        list.bind(2, m_last_event_before);
        list.exec();
    }
    bool all = [&] {
        SQLite::Statement kept(m_db, sql::k_rebuild_count_kept);
        kept.executeStep();
        return kept.getColumn(0).getInt64() == 0;
    }();
    if (all) {
        // Everything is built again: fill the table without its indexes, then
        // create them from the schema's own text (a sort each, instead of a
        // random B-tree insert per row).
        std::vector<std::string> index_sql;
        {
            SQLite::Statement saved(m_db, sql::k_session_index_sql);
            while (saved.executeStep())
                index_sql.push_back(saved.getColumn(0).getString());
        }
        m_db.exec(sql::k_drop_session_indexes);
        m_db.exec(sql::k_delete_sessions);
        SQLite::Statement every(m_db, sql::k_events_in_order);
        build_from(every);
        for (const auto& create : index_sql)
            m_db.exec(create);
    } else {
        {
            SQLite::Statement list(m_db, sql::k_rebuild_list_events);
            list.bind(1, m_last_event_before);
            list.exec();
        }
        m_db.exec(sql::k_rebuild_delete_sessions);
        SQLite::Statement some(m_db, sql::k_rebuild_events_in_order);
        build_from(some);
    }
    m_earliest_new.reset();
    m_last_event_before = last_event_id();
    return count();
}

std::int64_t SessionStore::last_event_id()
{
    SQLite::Statement last(m_db, sql::k_last_event_id);
    last.executeStep();
    return last.getColumn(0).getInt64();
}

void SessionStore::build_from(SQLite::Statement& events)
{
    SQLite::Statement insert(m_db, sql::k_insert_session);
    SessionBuilder builder([&](Session&& s) {
        insert.reset();
        insert.bind(1, s.user);
        insert.bind(2, s.profile);
        insert.bind(3, s.connection);
        insert.bind(4, s.vpn_proto);
        bind_text_or_null(insert, 5, s.ip4);
        bind_text_or_null(insert, 6, s.ip6);
        bind_text_or_null(insert, 7, s.originating);
        bind_optional(insert, 8, s.connected_at);
        bind_optional(insert, 9, s.disconnected_at);
        if (s.ended_by == SessionEnd::open)
            insert.bind(10);
        else
            insert.bind(10, s.ended_by == SessionEnd::disconnect ? "disconnect" : "inferred");
        bind_text_or_null(insert, 11, s.inferred_why);
        if (auto n = parse_ipv4(s.ip4))
            insert.bind(12, static_cast<std::int64_t>(*n));
        else
            insert.bind(12);
        insert.bind(13, fmt::format("[{}]", fmt::join(s.evidence, ",")));
        insert.exec();
    });
    while (events.executeStep()) {
        SourcedEvent se;
        se.id = events.getColumn(0).getInt64();
        se.source_id = events.getColumn(1).getInt64();
        auto& e = se.event;
        e.position = events.getColumn(2).getInt64();
        e.kind = *static_cast<const char*>(events.getColumn(3).getText()) == 'C' ? EventKind::connect
                                                                                 : EventKind::disconnect;
        e.time = events.getColumn(4).getInt64();
        e.user = events.getColumn(5).getString();
        e.profile = events.getColumn(6).getString();
        e.connection = events.getColumn(7).getString();
        e.vpn_proto = events.getColumn(8).getString();
        e.ip4 = events.getColumn(9).getString();
        e.ip6 = events.getColumn(10).getString();
        e.originating = events.getColumn(11).getString();
        builder.add(std::move(se));
    }
    builder.finish();
}

} // namespace natfw
