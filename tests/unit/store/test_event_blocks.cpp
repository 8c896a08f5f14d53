// A block's row and its events must agree: a rebuild merges blocks by the
// row's first time and trusts each block's events to be in order, so
// --verify checks both for every block EventBlockWriter wrote.
#include "store/database.hpp"
#include "store/event_blocks.hpp"
#include "store/session_store.hpp"
#include "store/sql_values.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <SQLiteCpp/Statement.h>

using namespace natfw;

namespace {

constexpr UnixMicros k_s = 1'000'000;
constexpr UnixMicros k_t0 = 1609495200 * k_s; // 2021-01-01T10:00:00Z

ConnectionEvent event(UnixMicros time, EventKind kind, const std::string& connection)
{
    ConnectionEvent e;
    e.time = time;
    e.kind = kind;
    e.user = "ann";
    e.connection = connection;
    e.ip4 = kind == EventKind::connect ? "10.0.0.2" : "";
    e.position = time / k_s;
    return e;
}

struct StoredRow {
    std::vector<BlockEvent> places;
    EventBlockRow row;
};

std::vector<StoredRow> stored_blocks(SQLite::Database& db)
{
    std::vector<StoredRow> out;
    SQLite::Statement st(db,
                         "SELECT data, first_time, last_time, events, kept FROM connection_event_block ORDER BY id");
    while (st.executeStep())
        out.push_back({decode_event_block(blob_view(st.getColumn(0))),
                       {st.getColumn(1).getInt64(), st.getColumn(2).getInt64(), st.getColumn(3).getInt64(),
                        st.getColumn(4).getInt64()}});
    return out;
}

} // namespace

TEST_CASE("event_block_fault")
{
    test::TempDir dir;
    auto db = open_index_for_writing(dir.path() / "index.sqlite");
    const auto source = SessionStore(*db).source({SourceKind::log, "/var/log/vpn.log", std::nullopt}, 0).id;
    {
        EventBlockWriter writer(*db);
        // A log line out of time order, and a reconnect at one instant
        // logged CONNECT first: the writer puts both in the merge's order.
        writer.add(source, event(k_t0 + 60 * k_s, EventKind::connect, "c2"));
        writer.add(source, event(k_t0, EventKind::connect, "c1"));
        writer.add(source, event(k_t0 + 60 * k_s, EventKind::disconnect, "c1"));
        writer.add(source, event(k_t0 + 120 * k_s, EventKind::disconnect, "c2"));
        writer.flush();
    }
    auto blocks = stored_blocks(*db);
    REQUIRE(blocks.size() == 1);
    auto& b = blocks[0];
    REQUIRE(b.places.size() == 4);

    SUBCASE("a block as the writer wrote it agrees with its row")
    {
        CHECK(b.row.first_time == k_t0);
        CHECK(b.row.last_time == k_t0 + 120 * k_s);
        CHECK(event_block_fault(b.places, b.row).empty());
    }
    SUBCASE("forgotten events count in `events`, not in `kept` or the times")
    {
        b.places[0].forgotten = true;
        CHECK(event_block_fault(b.places, b.row) ==
              "its row counts 4 event(s), 4 kept; it holds 4, 3 kept");
        b.row.kept = 3;
        CHECK(event_block_fault(b.places, b.row) ==
              "its row says its events span 2021-01-01T10:00:00Z .. 2021-01-01T10:02:00Z; they span "
              "2021-01-01T10:01:00Z .. 2021-01-01T10:02:00Z");
        b.row.first_time = k_t0 + 60 * k_s;
        CHECK(event_block_fault(b.places, b.row).empty());
    }
    SUBCASE("a first time later than the block's first event")
    {
        b.row.first_time += 1;
        CHECK(event_block_fault(b.places, b.row) ==
              "its row says its events span 2021-01-01T10:00:00.000001Z .. 2021-01-01T10:02:00Z; they span "
              "2021-01-01T10:00:00Z .. 2021-01-01T10:02:00Z");
    }
    SUBCASE("a last time that is not the block's last event")
    {
        b.row.last_time -= 60 * k_s;
        CHECK_FALSE(event_block_fault(b.places, b.row).empty());
    }
    SUBCASE("events out of order, even where the times span what the row says")
    {
        std::swap(b.places[0], b.places[3]);
        CHECK(event_block_fault(b.places, b.row) == "its event 1 is earlier than the one before it");
    }
    SUBCASE("at one instant a CONNECT before a DISCONNECT is out of the merge's order")
    {
        REQUIRE(b.places[1].event.kind == EventKind::disconnect);
        REQUIRE(b.places[2].event.kind == EventKind::connect);
        REQUIRE(b.places[1].event.time == b.places[2].event.time);
        std::swap(b.places[1], b.places[2]);
        CHECK(event_block_fault(b.places, b.row) == "its event 2 is earlier than the one before it");
    }
    SUBCASE("counts that are not the block's")
    {
        b.row.events = 5;
        CHECK(event_block_fault(b.places, b.row) == "its row counts 5 event(s), 4 kept; it holds 4, 4 kept");
    }
}
