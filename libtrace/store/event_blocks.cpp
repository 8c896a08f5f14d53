#include "store/event_blocks.hpp"

#include "store/sql_values.hpp"
#include "store/statements.hpp"
#include "util/time_format.hpp"

#include <fmt/format.h>

#include <SQLiteCpp/Column.h>

#include <algorithm>
#include <limits>

namespace natfw {

namespace {

int kind_rank(EventKind k)
{
    return k == EventKind::disconnect ? 0 : 1;
}

/// The order a block's events are stored in: the builder's, so a rebuild
/// merges blocks instead of sorting events.
bool stored_before(const BlockEvent& a, const BlockEvent& b)
{
    return std::make_pair(a.event.time, kind_rank(a.event.kind)) <
           std::make_pair(b.event.time, kind_rank(b.event.kind));
}

/// What a block's row records of its events that are not forgotten.
struct KeptSpan {
    std::int64_t kept = 0;
    UnixMicros first_time = std::numeric_limits<UnixMicros>::max();
    UnixMicros last_time = std::numeric_limits<UnixMicros>::min();
    std::int64_t first_position = std::numeric_limits<std::int64_t>::max();
    std::int64_t last_position = std::numeric_limits<std::int64_t>::min();
};

KeptSpan kept_span(const std::vector<BlockEvent>& places)
{
    KeptSpan k;
    for (const auto& p : places) {
        if (p.forgotten)
            continue;
        ++k.kept;
        k.first_time = std::min(k.first_time, p.event.time);
        k.last_time = std::max(k.last_time, p.event.time);
        k.first_position = std::min(k.first_position, p.event.position);
        k.last_position = std::max(k.last_position, p.event.position);
    }
    return k;
}

/// Binds the block's columns from ?2 on: times, positions, places, kept, data.
void bind_block(SQLite::Statement& st, const std::vector<BlockEvent>& places)
{
    const auto k = kept_span(places);
    st.bind(2, k.first_time);
    st.bind(3, k.last_time);
    st.bind(4, k.first_position);
    st.bind(5, k.last_position);
    st.bind(6, static_cast<std::int64_t>(places.size()));
    st.bind(7, k.kept);
    auto data = encode_event_block(places);
    st.bind(8, data.data(), static_cast<int>(data.size()));
}

} // namespace

EventBlockWriter::EventBlockWriter(SQLite::Database& db) : m_insert(db, sql::k_insert_event_block) {}

void EventBlockWriter::add(std::int64_t source_id, ConnectionEvent e)
{
    if (!m_pending.empty() && source_id != m_source_id)
        flush();
    m_source_id = source_id;
    m_pending.push_back({std::move(e), false});
    if (static_cast<std::int64_t>(m_pending.size()) == k_block_events)
        flush();
}

void EventBlockWriter::flush()
{
    if (m_pending.empty())
        return;
    // A log is mostly in that order already.
    if (!std::is_sorted(m_pending.begin(), m_pending.end(), stored_before))
        std::stable_sort(m_pending.begin(), m_pending.end(), stored_before);
    m_insert.reset();
    m_insert.bind(1, m_source_id);
    bind_block(m_insert, m_pending);
    m_insert.exec();
    m_pending.clear();
}

std::vector<SourcedEvent> events_of_block(std::int64_t block_id, std::int64_t source_id, std::string_view data)
{
    auto places = decode_event_block(data);
    std::vector<SourcedEvent> out;
    out.reserve(places.size());
    for (std::size_t i = 0; i < places.size(); ++i)
        if (!places[i].forgotten)
            out.push_back({std::move(places[i].event), event_id(block_id, i), source_id});
    return out;
}

std::string event_block_fault(const std::vector<BlockEvent>& places, const EventBlockRow& row)
{
    if (auto out_of_order = std::is_sorted_until(places.begin(), places.end(), stored_before);
        out_of_order != places.end())
        return fmt::format("its event {} is earlier than the one before it",
                           std::distance(places.begin(), out_of_order));
    const auto k = kept_span(places);
    if (static_cast<std::int64_t>(places.size()) != row.events || k.kept != row.kept)
        return fmt::format("its row counts {} event(s), {} kept; it holds {}, {} kept", row.events, row.kept,
                           places.size(), k.kept);
    if (k.kept > 0 && (k.first_time != row.first_time || k.last_time != row.last_time))
        return fmt::format("its row says its events span {} .. {}; they span {} .. {}",
                           format_iso_micros(row.first_time), format_iso_micros(row.last_time),
                           format_iso_micros(k.first_time), format_iso_micros(k.last_time));
    return {};
}

void rewrite_event_block(SQLite::Database& db, std::int64_t block_id, const std::vector<BlockEvent>& places)
{
    bool any = std::any_of(places.begin(), places.end(), [](const BlockEvent& p) { return !p.forgotten; });
    if (!any) {
        SQLite::Statement del(db, sql::k_delete_event_block);
        del.bind(1, block_id);
        del.exec();
        return;
    }
    SQLite::Statement update(db, sql::k_update_event_block);
    update.bind(1, block_id);
    bind_block(update, places);
    update.exec();
}

EventReader::EventReader(SQLite::Database& db) : m_block(db, sql::k_event_block) {}

std::optional<SourcedEvent> EventReader::event(std::int64_t id)
{
    if (id < 0)
        return std::nullopt;
    auto block = block_of_event(id);
    if (block != m_block_id) {
        m_block_id = block;
        m_held = false;
        m_block.reset();
        m_block.bind(1, block);
        if (m_block.executeStep()) {
            m_source_id = m_block.getColumn(0).getInt64();
            m_places.open(blob_view(m_block.getColumn(1)));
            m_held = true;
        }
        m_block.reset();
    }
    if (!m_held)
        return std::nullopt;
    auto place = m_places.at(place_of_event(id));
    if (!place || place->forgotten)
        return std::nullopt;
    return SourcedEvent{std::move(place->event), id, m_source_id};
}

std::int64_t forget_events(SQLite::Database& db, std::vector<std::int64_t> ids)
{
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    SQLite::Statement read(db, sql::k_event_block);
    std::int64_t forgotten = 0;
    for (std::size_t i = 0; i < ids.size();) {
        auto block = block_of_event(ids[i]);
        std::size_t end = i;
        while (end < ids.size() && block_of_event(ids[end]) == block)
            ++end;
        read.reset();
        read.bind(1, block);
        if (read.executeStep()) {
            auto places = decode_event_block(blob_view(read.getColumn(1)));
            read.reset();
            for (; i < end; ++i) {
                auto place = place_of_event(ids[i]);
                if (place < places.size() && !places[place].forgotten) {
                    places[place] = BlockEvent{{}, true};
                    ++forgotten;
                }
            }
            rewrite_event_block(db, block, places);
        }
        i = end;
    }
    return forgotten;
}

} // namespace natfw
