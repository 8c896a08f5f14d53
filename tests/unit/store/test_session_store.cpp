// Sessions rebuilt run by run (only those new events can change) must equal
// sessions built once from every event, and the session blocks must equal
// blocks derived from them.
#include "store/database.hpp"
#include "store/event_blocks.hpp"
#include "store/session_blocks.hpp"
#include "store/session_store.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/Transaction.h>
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <tuple>

using namespace natfw;

namespace {

constexpr UnixMicros k_s = 1'000'000;
constexpr UnixMicros k_t0 = 1608986262 * k_s;

using Row = std::tuple<std::string, std::string, std::string, std::string, std::optional<UnixMicros>,
                       std::optional<UnixMicros>, std::string, std::string, std::vector<std::int64_t>>;

std::optional<std::int64_t> nullable(SQLite::Statement& st, int col)
{
    if (st.getColumn(col).isNull())
        return std::nullopt;
    return st.getColumn(col).getInt64();
}

std::vector<Row> stored_sessions(SQLite::Database& db)
{
    std::vector<Row> rows;
    SQLite::Statement st(db, "SELECT id, user_id, connection, coalesce(ip4, ''), coalesce(ip6, ''), connected_at, "
                             "disconnected_at, coalesce(ended_by, 'open'), coalesce(inferred_why, '') FROM vpn_session");
    SQLite::Statement ev(db, "SELECT j.value FROM vpn_session s, json_each(s.evidence) j WHERE s.id = ?1 "
                             "ORDER BY j.value");
    while (st.executeStep()) {
        std::vector<std::int64_t> evidence;
        ev.reset();
        ev.bind(1, st.getColumn(0).getInt64());
        while (ev.executeStep())
            evidence.push_back(ev.getColumn(0).getInt64());
        rows.emplace_back(st.getColumn(1).getString(), st.getColumn(2).getString(), st.getColumn(3).getString(),
                          st.getColumn(4).getString(), nullable(st, 5), nullable(st, 6), st.getColumn(7).getString(),
                          st.getColumn(8).getString(), evidence);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

std::vector<Row> built_at_once(SQLite::Database& db)
{
    std::vector<SourcedEvent> events;
    SQLite::Statement st(db, "SELECT id, source_id, data FROM connection_event_block");
    while (st.executeStep()) {
        auto data = st.getColumn(2);
        for (auto& se : events_of_block(st.getColumn(0).getInt64(), st.getColumn(1).getInt64(),
                                        {static_cast<const char*>(data.getBlob()),
                                         static_cast<std::size_t>(data.getBytes())}))
            events.push_back(std::move(se));
    }
    std::vector<Row> rows;
    for (auto& s : build_sessions(std::move(events))) {
        std::sort(s.evidence.begin(), s.evidence.end());
        const char* end = s.ended_by == SessionEnd::open         ? "open"
                          : s.ended_by == SessionEnd::disconnect ? "disconnect"
                                                                 : "inferred";
        rows.emplace_back(s.user, s.connection, s.ip4, s.ip6, s.connected_at, s.disconnected_at, end,
                          s.inferred_why, s.evidence);
    }
    std::sort(rows.begin(), rows.end());
    return rows;
}

/// A day of a small pool: connections come and go, some DISCONNECTs are lost,
/// and a second source reports some events again a few seconds apart.
std::vector<std::pair<int, ConnectionEvent>> random_log(std::mt19937& rng)
{
    std::vector<std::pair<int, ConnectionEvent>> out;
    std::vector<bool> connected(6);
    UnixMicros t = k_t0;
    std::int64_t position = 0;
    for (int step = 0; step < 120; ++step) {
        t += std::uniform_int_distribution<UnixMicros>(0, 20)(rng) * k_s;
        auto c = std::uniform_int_distribution<std::size_t>(0, 5)(rng);
        ConnectionEvent e;
        e.time = t;
        e.connection = "c" + std::to_string(c);
        e.user = "u" + std::to_string(c % 4);
        e.profile = "p";
        e.vpn_proto = "openvpn";
        bool lost = std::uniform_int_distribution<int>(0, 9)(rng) == 0;
        if (connected[c]) {
            e.kind = EventKind::disconnect;
            connected[c] = false;
        } else {
            e.kind = EventKind::connect;
            int a = std::uniform_int_distribution<int>(1, 3)(rng);
            // Two /24s: each session block is derived again as its sessions change.
            e.ip4 = "10.0." + std::to_string(a % 2) + "." + std::to_string(a);
            e.ip6 = "fd00::" + std::to_string(a);
            connected[c] = true;
        }
        if (lost)
            continue;
        e.position = ++position;
        out.emplace_back(0, e);
        if (std::uniform_int_distribution<int>(0, 3)(rng) == 0) {
            e.time += std::uniform_int_distribution<UnixMicros>(-6, 6)(rng) * k_s;
            out.emplace_back(1, e);
        }
    }
    return out;
}

} // namespace

TEST_CASE("SessionStore: sessions rebuilt run by run equal sessions built at once")
{
    for (unsigned seed = 1; seed <= 60; ++seed) {
        CAPTURE(seed);
        std::mt19937 rng(seed);
        auto log = random_log(rng);
        test::TempDir dir;
        auto db = open_index_for_writing(dir.path() / "index.sqlite");
        // Runs of 1..40 events; now and then an older part arrives late.
        std::vector<std::size_t> order(log.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        if (seed % 3 == 0)
            std::rotate(order.begin(), order.begin() + static_cast<long>(order.size() / 2), order.end());
        std::size_t next = 0;
        while (next < order.size()) {
            SQLite::Transaction tx(*db);
            SessionStore store(*db);
            std::int64_t sources[2] = {store.source({SourceKind::spool, "a", std::nullopt}, 0).id,
                                       store.source({SourceKind::spool, "b", std::nullopt}, 0).id};
            auto n = std::uniform_int_distribution<std::size_t>(1, 40)(rng);
            for (; n > 0 && next < order.size(); --n, ++next) {
                const auto& [source, e] = log[order[next]];
                store.add_event(sources[source], e);
            }
            store.rebuild_sessions();
            tx.commit();
            REQUIRE(stored_sessions(*db) == built_at_once(*db));
            REQUIRE(session_block_faults(*db).empty());
        }
    }
}

TEST_CASE("SessionStore::expect_repeats")
{
    test::TempDir dir;
    auto db = open_index_for_writing(dir.path() / "index.sqlite");
    ConnectionEvent e;
    e.connection = "c1";
    e.user = "u";
    e.ip4 = "10.0.0.2";
    e.time = k_t0;
    e.position = k_t0; // a portal row: its connected_at
    auto run = [&](bool disconnected, std::int64_t from) {
        SQLite::Transaction tx(*db);
        SessionStore store(*db);
        auto id = store.source({SourceKind::db, "/portal.sqlite", std::nullopt}, 0).id;
        store.expect_repeats(id, from);
        int added = store.add_event(id, e);
        if (disconnected) {
            auto d = e;
            d.kind = EventKind::disconnect;
            d.time = k_t0 + 60 * k_s;
            added += store.add_event(id, d);
        }
        store.rebuild_sessions();
        tx.commit();
        return added;
    };
    SUBCASE("a row read again gives only what is new in it")
    {
        CHECK(run(false, k_t0 - 86'400 * k_s) == 1);
        CHECK(run(true, k_t0 - 86'400 * k_s) == 1); // the DISCONNECT; its CONNECT was there
        CHECK(run(true, k_t0 - 86'400 * k_s) == 0);
        CHECK(db->execAndGet("SELECT sum(kept) FROM connection_event_block").getInt() == 2);
        CHECK(db->execAndGet("SELECT count(*) FROM vpn_session WHERE ended_by = 'disconnect'").getInt() == 1);
    }
    SUBCASE("events before the position asked for are not looked at")
    {
        CHECK(run(false, k_t0 - 86'400 * k_s) == 1);
        CHECK(run(false, k_t0 + 1) == 1); // the caller said rows before k_t0 + 1 are not read again
    }
}

TEST_CASE("forget_events blanks events in place: the others keep their ids")
{
    test::TempDir dir;
    auto db = open_index_for_writing(dir.path() / "index.sqlite");
    SQLite::Transaction tx(*db);
    SessionStore store(*db);
    auto id = store.source({SourceKind::log, "/log", std::nullopt}, 0).id;
    for (int i = 0; i < 3; ++i) {
        ConnectionEvent e;
        e.connection = "c" + std::to_string(i);
        e.user = "u" + std::to_string(i);
        e.time = k_t0 + i * k_s;
        e.position = i + 1;
        store.add_event(id, e);
    }
    store.rebuild_sessions();
    auto block = db->execAndGet("SELECT id FROM connection_event_block").getInt64();
    CHECK(forget_events(*db, {event_id(block, 1), event_id(block, 1), event_id(block, 7)}) == 1);
    EventReader reader(*db);
    REQUIRE(reader.event(event_id(block, 0)));
    CHECK(reader.event(event_id(block, 0))->event.user == "u0");
    CHECK_FALSE(reader.event(event_id(block, 1)));
    REQUIRE(reader.event(event_id(block, 2)));
    CHECK(reader.event(event_id(block, 2))->event.user == "u2");
    CHECK(db->execAndGet("SELECT kept || ' ' || events || ' ' || first_time FROM connection_event_block").getString() ==
          fmt::format("2 3 {}", k_t0));
    CHECK(forget_events(*db, {event_id(block, 0), event_id(block, 2)}) == 2);
    CHECK(db->execAndGet("SELECT count(*) FROM connection_event_block").getInt() == 0); // nothing kept: gone
}
