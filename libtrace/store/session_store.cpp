#include "store/session_store.hpp"

#include "store/database.hpp"
#include "store/session_blocks.hpp"
#include "store/session_pipeline.hpp"
#include "store/sql_values.hpp"
#include "store/statements.hpp"
#include "util/ipv4.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iterator>

namespace natfw {

namespace {

/// `v` must outlive the statement's next step: SQLite reads it there, uncopied.
void bind_text_or_null(SQLite::Statement& st, int index, const std::string& v)
{
    if (v.empty())
        st.bind(index);
    else
        st.bindNoCopy(index, v);
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
      m_insert_source(db, sql::k_insert_source), m_update_source(db, sql::k_update_source), m_writer(db)
{
    m_last_block_before = last_event_block();
    // Without sessions, every one is built anyway: no connection ids to list.
    m_too_many_new = m_last_block_before == 0;
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
        s.change_counter = optional_int64(find, 11);
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
    bind_optional(u, 14, s.change_counter);
    u.exec();
}

namespace {

/// Holding more would cost more memory than building every session again.
constexpr std::size_t k_max_listed_connections = 100'000;
constexpr std::int64_t k_max_rebuilt_sessions = 100'000;

std::string repeat_key(const ConnectionEvent& e)
{
    return fmt::format("{}{}{}", e.position, e.kind == EventKind::connect ? 'C' : 'D', e.connection);
}

} // namespace

std::vector<PortalRowKey> SessionStore::portal_open_rows(std::int64_t source_id)
{
    std::vector<PortalRowKey> rows;
    SQLite::Statement st(m_db, sql::k_portal_open_rows);
    st.bind(1, source_id);
    while (st.executeStep())
        rows.push_back({st.getColumn(0).getString(), st.getColumn(1).getString(), st.getColumn(2).getInt64()});
    return rows;
}

void SessionStore::set_portal_open_rows(std::int64_t source_id, const std::vector<PortalRowKey>& rows)
{
    SQLite::Statement clear(m_db, sql::k_portal_clear_open_rows);
    clear.bind(1, source_id);
    clear.exec();
    SQLite::Statement add(m_db, sql::k_portal_add_open_row);
    for (const auto& r : rows) {
        add.reset();
        add.bind(1, source_id);
        add.bind(2, r.connected_at);
        add.bind(3, r.connection);
        if (r.row_hint != 0)
            add.bind(4, r.row_hint);
        else
            add.bind(4);
        add.exec();
    }
}

void SessionStore::expect_repeats(std::int64_t source_id, std::int64_t from_position)
{
    m_writer.flush();
    m_repeats.clear();
    m_repeats_source = source_id;
    m_repeats_from = from_position;
    SQLite::Statement blocks(m_db, sql::k_source_blocks_from);
    blocks.bind(1, source_id);
    blocks.bind(2, from_position);
    while (blocks.executeStep()) {
        for (auto& se : events_of_block(blocks.getColumn(0).getInt64(), source_id, blob_view(blocks.getColumn(1))))
            if (se.event.position >= from_position)
                m_repeats.insert(repeat_key(se.event));
    }
}

bool SessionStore::add_event(std::int64_t source_id, ConnectionEvent&& e)
{
    if (m_forgotten_before && e.time < *m_forgotten_before && !m_across_horizon.count(e.connection)) {
        ++m_forgotten_skipped; // forgotten on purpose: an old export must not bring it back
        return false;
    }
    if (source_id == m_repeats_source && e.position >= m_repeats_from && !m_repeats.insert(repeat_key(e)).second)
        return false;
    if (!m_too_many_new) {
        m_new_connections.insert(e.connection);
        if (m_new_connections.size() > k_max_listed_connections) {
            m_too_many_new = true;
            m_new_connections.clear();
        }
    }
    m_earliest_new = m_earliest_new ? std::min(*m_earliest_new, e.time) : e.time;
    m_writer.add(source_id, std::move(e));
    return true;
}

std::size_t SessionStore::rebuild_sessions()
{
    m_writer.flush();
    auto count = [&] {
        SQLite::Statement n(m_db, sql::k_count_sessions);
        n.executeStep();
        return static_cast<std::size_t>(n.getColumn(0).getInt64());
    };
    if (!m_earliest_new)
        return count();
    std::size_t before = count();
    bool all = m_too_many_new || before == 0;
    if (!all) {
        m_db.exec(sql::k_rebuild_make_lists);
        SQLite::Statement add(m_db, sql::k_rebuild_add_connection);
        for (const auto& c : m_new_connections) {
            add.reset();
            add.bind(1, c);
            add.exec();
        }
        SQLite::Statement list(m_db, sql::k_rebuild_list_sessions);
        list.bind(1, *m_earliest_new - 2 * k_same_event_window);
        list.exec();
        SQLite::Statement listed(m_db, sql::k_rebuild_count_listed);
        listed.executeStep();
        auto n = listed.getColumn(0).getInt64();
        // Their events are held in memory to be merged with the new ones.
        all = n == static_cast<std::int64_t>(before) || n > k_max_rebuilt_sessions;
    }
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
        SQLite::Statement every(m_db, sql::k_event_blocks_by_time);
        build_from(every, {});
        m_db.exec(sql::k_cache_for_sorting);
        for (const auto& create : index_sql)
            m_db.exec(create);
        m_db.exec(sql::k_cache_for_writing);
        derive_all_session_blocks(m_db);
    } else {
        std::vector<std::int64_t> ids;
        {
            SQLite::Statement evidence(m_db, sql::k_rebuild_listed_evidence);
            while (evidence.executeStep())
                ids.push_back(evidence.getColumn(0).getInt64());
        }
        std::sort(ids.begin(), ids.end());
        std::vector<SourcedEvent> held;
        EventReader reader(m_db);
        for (auto id : ids)
            if (auto se = reader.event(id))
                held.push_back(std::move(*se));
        std::sort(held.begin(), held.end(), event_order);
        // The /24s of the sessions replaced and of those that replace them.
        auto nets = session_nets(m_db, sql::k_session_nets_listed);
        m_db.exec(sql::k_rebuild_delete_sessions);
        const auto last_kept = max_session_id(m_db);
        SQLite::Statement fresh(m_db, sql::k_event_blocks_after_by_time);
        fresh.bind(1, m_last_block_before);
        build_from(fresh, std::move(held));
        auto added = session_nets(m_db, sql::k_session_nets_after, last_kept);
        nets.insert(nets.end(), added.begin(), added.end());
        std::sort(nets.begin(), nets.end());
        nets.erase(std::unique(nets.begin(), nets.end()), nets.end());
        derive_session_blocks(m_db, nets);
    }
    m_earliest_new.reset();
    m_new_connections.clear();
    m_last_block_before = last_event_block();
    m_too_many_new = m_last_block_before == 0;
    return count();
}

std::int64_t SessionStore::last_event_block()
{
    SQLite::Statement last(m_db, sql::k_last_event_block);
    last.executeStep();
    return last.getColumn(0).getInt64();
}

void SessionStore::build_from(SQLite::Statement& blocks, std::vector<SourcedEvent> held)
{
    SQLite::Statement insert(m_db, sql::k_insert_session);
    std::string evidence;
    // Every text is bound without a copy: `s` and `evidence` live until exec() is done.
    auto write = [&](Session&& s) {
        insert.reset();
        insert.bindNoCopy(1, s.user);
        insert.bindNoCopy(2, s.profile);
        insert.bindNoCopy(3, s.connection);
        insert.bindNoCopy(4, s.vpn_proto);
        bind_text_or_null(insert, 5, s.ip4);
        bind_text_or_null(insert, 6, s.ip6);
        bind_text_or_null(insert, 7, s.originating);
        bind_optional(insert, 8, s.connected_at);
        bind_optional(insert, 9, s.disconnected_at);
        if (s.ended_by == SessionEnd::open)
            insert.bind(10);
        else
            insert.bindNoCopy(10, s.ended_by == SessionEnd::disconnect ? "disconnect" : "inferred");
        bind_text_or_null(insert, 11, s.inferred_why);
        if (auto n = parse_ipv4(s.ip4))
            insert.bind(12, static_cast<std::int64_t>(*n));
        else
            insert.bind(12);
        // Into one buffer kept from row to row: a string made per row was a tenth of the insert.
        evidence.clear();
        fmt::format_to(std::back_inserter(evidence), "[{}]", fmt::join(s.evidence, ","));
        insert.bindNoCopy(13, evidence);
        insert.exec();
    };
    SQLite::Statement data(m_db, sql::k_event_block_data);
    auto next_block = [&](DecodedBlock& b) {
        if (!blocks.executeStep())
            return false;
        const auto id = blocks.getColumn(0).getInt64();
        data.reset();
        data.bind(1, id);
        if (!data.executeStep()) // listed by the statement before, in this transaction
            throw IndexDamaged(fmt::format("connection event block {} is listed but cannot be read", id));
        b.first_time = blocks.getColumn(2).getInt64();
        b.events = events_of_block(id, blocks.getColumn(1).getInt64(), blob_view(data.getColumn(0)));
        return true;
    };
    build_sessions_on_two_threads(next_block, std::move(held), write);
}

} // namespace natfw
