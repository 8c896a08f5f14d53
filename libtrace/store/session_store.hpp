#pragma once
// The write side of sessions: their sources (with where to resume), the
// events as reported, and the sessions rebuilt from all events.
#include "derive/session_builder.hpp"
#include "store/event_blocks.hpp"
#include "parse/connection_log_reader.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

namespace natfw {

enum class SourceKind { log, db, spool };
std::string_view source_kind_name(SourceKind k);

struct SourceState {
    std::int64_t id = 0;
    bool is_new = true;
    std::string name; ///< where it was seen last
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    LogResume resume;
    std::optional<UnixMicros> covered_from, covered_to;
    /// A portal database's file change counter when it was last read (size and mtime_ns are the file's then).
    std::optional<std::int64_t> change_counter;
};

/// A portal database row's key: connected_at as the portal wrote it, and the
/// connection id; and where the row was (its rowid, 0 if not known).
struct PortalRowKey {
    std::string connected_at;
    std::string connection;
    std::int64_t row_hint = 0;
    auto operator<=>(const PortalRowKey&) const = default;
};

struct SourceIdentity {
    SourceKind kind = SourceKind::log;
    std::string name;
    /// Files: device and inode; nullopt for standard input and databases (known by name).
    std::optional<std::pair<std::int64_t, std::int64_t>> file;
};

class SessionStore {
public:
    explicit SessionStore(SQLite::Database& db);

    /// The source's state, created (empty) on first sight; `now` in UTC seconds.
    SourceState source(const SourceIdentity& id, std::int64_t now);
    /// Records where reading stopped and what the source covers now.
    void update_source(const SourceState& s, const std::optional<std::string>& year_note, std::int64_t now);
    /// A portal database's rows that were open when it was last read, by connected_at and connection.
    std::vector<PortalRowKey> portal_open_rows(std::int64_t source_id);
    /// Replaces that list with the rows open now.
    void set_portal_open_rows(std::int64_t source_id, const std::vector<PortalRowKey>& rows);
    /// The source is read again from `from_position` on (a portal database's
    /// newest rows): events it gave there before are not new. Only events
    /// from there on are remembered, so that a first read of a whole table
    /// (`from_position` the largest value) holds none of them in memory.
    void expect_repeats(std::int64_t source_id, std::int64_t from_position);
    /// Adds an event; false when the source had reported it already (see
    /// expect_repeats), or when it lies before the retention horizon (unless
    /// its session outlived it).
    bool add_event(std::int64_t source_id, ConnectionEvent&& e);
    bool add_event(std::int64_t source_id, const ConnectionEvent& e) { return add_event(source_id, ConnectionEvent(e)); }
    /// Events add_event refused because they were forgotten.
    std::int64_t forgotten_skipped() const { return m_forgotten_skipped; }
    /// Builds again the sessions the events added since construction can
    /// change (all of them when nothing older is settled); returns how many
    /// sessions the index holds.
    std::size_t rebuild_sessions();

private:
    SQLite::Database& m_db;
    SQLite::Statement m_find_file, m_find_name, m_insert_source, m_update_source;
    EventBlockWriter m_writer;
    std::optional<UnixMicros> m_forgotten_before;
    std::unordered_set<std::string> m_across_horizon; ///< connections of kept sessions begun before it
    std::int64_t m_forgotten_skipped = 0;
    std::int64_t m_last_block_before = 0;     ///< the newest event block before this run's
    std::optional<UnixMicros> m_earliest_new; ///< the earliest time among this run's events
    /// The connection ids of this run's events, while few enough to list
    /// (more, or no event stored before: every session is built again).
    std::unordered_set<std::string> m_new_connections;
    bool m_too_many_new = false;
    std::int64_t m_repeats_source = 0;
    std::int64_t m_repeats_from = 0;
    std::unordered_set<std::string> m_repeats; ///< (position, kind, connection) given before

    void build_from(SQLite::Statement& blocks, std::vector<SourcedEvent> held);
    std::int64_t last_event_block();
};

} // namespace natfw
