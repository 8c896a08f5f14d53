#pragma once
// The connection_event_block table (schema 8): events written in blocks,
// read back by id or block by block.
#include "derive/session_builder.hpp"
#include "store/event_block.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace natfw {

/// Collects events of one source and writes them as blocks, each sorted in
/// event_order (derive/session_builder.hpp).
class EventBlockWriter {
public:
    explicit EventBlockWriter(SQLite::Database& db);
    void add(std::int64_t source_id, ConnectionEvent e);
    /// Writes what is collected (also done when a block is full or the source changes).
    void flush();

private:
    SQLite::Statement m_insert;
    std::int64_t m_source_id = 0;
    std::vector<BlockEvent> m_pending;
};

/// A block's events that are not forgotten, with their ids, in event_order.
std::vector<SourcedEvent> events_of_block(std::int64_t block_id, std::int64_t source_id, std::string_view data);

/// What a block's row says of its events besides the events themselves.
struct EventBlockRow {
    UnixMicros first_time = 0, last_time = 0;
    std::int64_t events = 0, kept = 0;
};
/// Why a block's decoded places and its row disagree (its events out of the
/// order a rebuild merges them in, or times or counts that are not theirs);
/// empty when they agree. A rebuild trusts both.
std::string event_block_fault(const std::vector<BlockEvent>& places, const EventBlockRow& row);

/// Writes a block again with its places recomputed; deletes it when nothing is kept.
void rewrite_event_block(SQLite::Database& db, std::int64_t block_id, const std::vector<BlockEvent>& places);

/// Events by id, keeping the block last read (a session's events are mostly in one).
class EventReader {
public:
    explicit EventReader(SQLite::Database& db);
    /// Empty when no block holds it or it was forgotten; throws Error when its block is damaged.
    std::optional<SourcedEvent> event(std::int64_t id);

private:
    SQLite::Statement m_block;
    std::int64_t m_block_id = -1;
    std::int64_t m_source_id = 0;
    bool m_held = false; ///< whether a block holds m_block_id
    EventBlockPlaces m_places;
};

/// Forgets the events (blanks them in their blocks); returns how many were there.
std::int64_t forget_events(SQLite::Database& db, std::vector<std::int64_t> ids);

} // namespace natfw
