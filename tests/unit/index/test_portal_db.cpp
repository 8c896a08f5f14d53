// The portal's database is read a page at a time, and a re-run reads only
// the newest rows and the rows that were open last time: whatever path a
// run takes (rows scanned or looked up by key, an index on connected_at or
// not), the events must be those of the table, each once.
#include "index/portal_db.hpp"
#include "store/database.hpp"
#include "store/session_store.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <ctime>
#include <fcntl.h>
#include <sys/stat.h>
#include <sstream>

using namespace natfw;

namespace {

constexpr std::int64_t k_t0 = 1606780800; // 2020-12-01T00:00:00Z

/// The portal's text for a time: UTC, or another offset in minutes.
std::string stamp(std::int64_t t, int offset_minutes = 0)
{
    std::time_t local = static_cast<std::time_t>(t + offset_minutes * 60);
    std::tm tm{};
    gmtime_r(&local, &tm);
    int m = offset_minutes < 0 ? -offset_minutes : offset_minutes;
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1,
                       tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, offset_minutes < 0 ? '-' : '+', m / 60, m % 60);
}

class Portal {
public:
    Portal(const std::filesystem::path& path, bool indexed)
        : m_db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE)
    {
        // vpn-user-portal's schema 2023011801 (the index came with it).
        m_db.exec("CREATE TABLE connection_log(user_id VARCHAR(255) NOT NULL, profile_id VARCHAR(255) NOT NULL, "
                  "vpn_proto VARCHAR(255) NOT NULL, connection_id VARCHAR(255) NOT NULL, ip_four VARCHAR(255) NOT "
                  "NULL, ip_six VARCHAR(255) NOT NULL, connected_at VARCHAR(255) NOT NULL, bytes_in BIGINT DEFAULT "
                  "NULL, bytes_out BIGINT DEFAULT NULL, disconnected_at VARCHAR(255) DEFAULT NULL)");
        if (indexed)
            m_db.exec("CREATE INDEX connection_log_connected_at ON connection_log(connected_at)");
    }
    void add(const std::string& connection, const std::string& connected_at, const std::string& disconnected_at,
             int host)
    {
        SQLite::Statement st(m_db, "INSERT INTO connection_log VALUES (?1, 'default', 'openvpn', ?2, ?3, '', ?4, "
                                   "NULL, NULL, ?5)");
        st.bind(1, "user-" + connection);
        st.bind(2, connection);
        st.bind(3, fmt::format("10.0.{}.{}", host / 250, 2 + host % 250));
        st.bind(4, connected_at);
        if (disconnected_at.empty())
            st.bind(5);
        else
            st.bind(5, disconnected_at);
        st.exec();
    }
    SQLite::Database& db() { return m_db; }

private:
    SQLite::Database m_db;
};

struct Run {
    PortalReadResult result;
    std::string diag;
};

Run read(SQLite::Database& index, const std::string& portal, std::size_t page_rows)
{
    SQLite::Transaction tx(index);
    SessionStore store(index);
    auto source = store.source({SourceKind::db, portal, std::nullopt}, k_t0);
    std::ostringstream diag;
    Run run{read_portal_db(store, source, portal, diag, page_rows), {}};
    store.update_source(source, std::nullopt, k_t0);
    store.rebuild_sessions();
    tx.commit();
    run.diag = diag.str();
    return run;
}

std::int64_t count(SQLite::Database& db, const char* sql)
{
    return db.execAndGet(sql).getInt64();
}

} // namespace

TEST_CASE("read_portal_db: pages, re-runs that read only what may have changed, rows open for weeks")
{
    for (bool indexed : {true, false})
        for (bool dense : {false, true})
            for (std::size_t page : {std::size_t{3}, k_portal_page_rows})
                for (bool hinted : {true, false}) {
                    CAPTURE(indexed);
                    CAPTURE(dense);
                    CAPTURE(page);
                    CAPTURE(hinted);
                    test::TempDir dir;
                    auto portal_path = (dir.path() / "db.sqlite").string();
                    Portal portal(dir.path() / "db.sqlite", indexed);
                    // 200 rows ten minutes apart over 33 hours, ten of them at one
                    // second (a page boundary falls among them); a WireGuard peer
                    // open for a month before them; dense: every other row still
                    // open (scanned, while the peer is looked up by its key).
                    portal.add("wg-peer", stamp(k_t0 - 30 * 86400), "", 0);
                    int open = 1;
                    for (int i = 0; i < 200; ++i) {
                        std::int64_t t = k_t0 + 600 + (i >= 100 && i < 110 ? 100 : i) * 600;
                        bool still_open = dense && i % 2 == 0;
                        open += still_open;
                        portal.add(fmt::format("c{:03}", i), stamp(t), still_open ? "" : stamp(t + 300), 1 + i);
                    }
                    auto index = open_index_for_writing(dir.path() / "index.sqlite");
                    // Without the rowids of the open rows (an index of schema 16), each is read by its key.
                    auto run = [&] {
                        if (!hinted)
                            index->exec("UPDATE portal_open_row SET row_hint = NULL");
                        return read(*index, portal_path, page);
                    };

                    auto first = run();
                    CHECK(first.result.rows == 201);
                    CHECK(first.result.new_events == 2 * 201 - open);
                    CHECK(count(*index, "SELECT count(*) FROM portal_open_row") == open);
                    CHECK(count(*index, "SELECT count(*) FROM portal_open_row WHERE row_hint IS NULL") == 0);
                    CHECK(count(*index, "SELECT count(*) FROM vpn_session") == 201);

                    // Untouched since: no row is read.
                    auto untouched = run();
                    CHECK(untouched.result.unchanged);
                    CHECK(untouched.result.rows == 0);
                    CHECK(untouched.result.new_events == 0);

                    // Another table written (the portal keeps its users and tokens in
                    // the same file): only the last two hours of rows and the open rows are read.
                    portal.db().exec("CREATE TABLE other(x)");
                    auto again = run();
                    CHECK_FALSE(again.result.unchanged);
                    CHECK(again.result.rows > 0);
                    CHECK(again.result.new_events == 0);
                    CHECK(again.result.rows < (dense ? 130 : 20));
                    CHECK(again.diag.empty());

                    // The peer of weeks ago ends; a row is inserted late, twenty minutes
                    // before the newest; a new connection opens.
                    portal.db().exec(fmt::format("UPDATE connection_log SET disconnected_at = '{}' "
                                                 "WHERE connection_id = 'wg-peer'",
                                                 stamp(k_t0 + 200 * 600)));
                    std::int64_t newest = k_t0 + 200 * 600;
                    portal.add("late", stamp(newest - 1200), stamp(newest - 1100), 240);
                    portal.add("new", stamp(newest + 60), "", 241);
                    auto changed = run();
                    CHECK(changed.result.new_events == 1 + 2 + 1);
                    CHECK(count(*index, "SELECT count(*) FROM vpn_session WHERE connection = 'wg-peer' AND "
                                        "disconnected_at IS NOT NULL AND ended_by = 'disconnect'") == 1);
                    CHECK(count(*index, "SELECT count(*) FROM vpn_session WHERE connection IN ('late', 'new')") == 2);
                    CHECK(count(*index, "SELECT count(*) FROM portal_open_row WHERE connection = 'wg-peer'") == 0);
                    CHECK(count(*index, "SELECT count(*) FROM portal_open_row") == open);
                    CHECK(run().result.new_events == 0);

                    // A row in another offset that sorts before the bound as text,
                    // though its instant is after the newest row's.
                    portal.add("offset", stamp(newest + 120, -5 * 60), "", 242);
                    CHECK(run().result.new_events == 1);
                    CHECK(count(*index, "SELECT count(*) FROM vpn_session WHERE connection = 'offset'") == 1);
                    CHECK(run().result.new_events == 0);

                    // An open row the portal no longer has: said, and its session stays.
                    portal.db().exec("DELETE FROM connection_log WHERE connection_id = 'new'");
                    auto gone = run();
                    CHECK(gone.result.new_events == 0);
                    CHECK(gone.diag.find("1 row(s) open when last read are no longer in connection_log") !=
                          std::string::npos);
                    CHECK(count(*index, "SELECT count(*) FROM vpn_session WHERE connection = 'new'") == 1);

                    // The table written anew, its rows numbered anew (as VACUUM may): the rowids kept
                    // for the open rows now point at other rows or none, so each is found by its key.
                    SQLite::Statement first_open(*index, "SELECT connected_at || connection, row_hint FROM "
                                                         "portal_open_row ORDER BY connected_at LIMIT 1");
                    REQUIRE(first_open.executeStep());
                    const std::string hint_key = first_open.getColumn(0).getString();
                    const std::int64_t hint = first_open.getColumn(1).getInt64();
                    first_open.reset();
                    auto still_open = count(*index, "SELECT count(*) FROM portal_open_row");
                    portal.db().exec("CREATE TABLE copy AS SELECT * FROM connection_log ORDER BY rowid DESC");
                    portal.db().exec("DELETE FROM connection_log");
                    portal.db().exec("INSERT INTO connection_log SELECT * FROM copy");
                    portal.db().exec("DROP TABLE copy");
                    SQLite::Statement at_hint(portal.db(), "SELECT connected_at || connection_id FROM connection_log "
                                                           "WHERE rowid = ?1");
                    at_hint.bind(1, hint);
                    CHECK((!at_hint.executeStep() || at_hint.getColumn(0).getString() != hint_key));
                    at_hint.reset();
                    portal.db().exec("UPDATE connection_log SET disconnected_at = connected_at "
                                     "WHERE disconnected_at IS NULL");
                    auto renumbered = run();
                    CHECK(renumbered.result.new_events == still_open);
                    CHECK(renumbered.diag.empty());
                    CHECK(count(*index, "SELECT count(*) FROM portal_open_row") == 0);
                }
}

TEST_CASE("read_portal_db: an index from before schema 16 reads from its oldest open row once, then lists them")
{
    test::TempDir dir;
    auto portal_path = (dir.path() / "db.sqlite").string();
    Portal portal(dir.path() / "db.sqlite", true);
    portal.add("wg-peer", stamp(k_t0), "", 0);
    for (int i = 0; i < 50; ++i)
        portal.add(fmt::format("c{:03}", i), stamp(k_t0 + 3600 + i * 3600), stamp(k_t0 + 3700 + i * 3600), 1 + i);
    auto index = open_index_for_writing(dir.path() / "index.sqlite");
    CHECK(read(*index, portal_path, 7).result.new_events == 1 + 2 * 50);
    // What an older natfw-index left: no list, the oldest open row's time in resume_offset.
    index->exec("DELETE FROM portal_open_row");
    index->exec(fmt::format("UPDATE session_source SET resume_offset = {}", k_t0 * 1'000'000));
    portal.db().exec(fmt::format("UPDATE connection_log SET disconnected_at = '{}' WHERE connection_id = 'wg-peer'",
                                 stamp(k_t0 + 60 * 3600)));
    auto legacy = read(*index, portal_path, 7);
    CHECK(legacy.result.rows == 51); // every row since the oldest open one
    CHECK(legacy.result.new_events == 1);
    CHECK(count(*index, "SELECT resume_offset FROM session_source") == 0);
    CHECK(count(*index, "SELECT count(*) FROM portal_open_row") == 0);
    portal.add("open", stamp(k_t0 + 3600 * 51), "", 60);
    CHECK(read(*index, portal_path, 7).result.new_events == 1);
    CHECK(count(*index, "SELECT count(*) FROM portal_open_row WHERE connection = 'open'") == 1);
}

TEST_CASE("read_portal_db: only SQLite's change counter with the file's size and time as before skips the read")
{
    test::TempDir dir;
    auto portal_path = (dir.path() / "db.sqlite").string();
    Portal portal(dir.path() / "db.sqlite", true);
    portal.add("a", stamp(k_t0), "", 1);
    portal.add("b", stamp(k_t0 + 60), stamp(k_t0 + 120), 2);
    auto index = open_index_for_writing(dir.path() / "index.sqlite");
    CHECK(read(*index, portal_path, 7).result.new_events == 3);
    CHECK(read(*index, portal_path, 7).result.unchanged);

    SUBCASE("a row ends, and the file gets back its size and time: the counter tells")
    {
        auto mtime_ns = count(*index, "SELECT mtime_ns FROM session_source");
        portal.db().exec(fmt::format("UPDATE connection_log SET disconnected_at = '{}' WHERE connection_id = 'a'",
                                     stamp(k_t0 + 180)));
        struct stat st {};
        REQUIRE(::stat(portal_path.c_str(), &st) == 0);
        CHECK(st.st_size == count(*index, "SELECT size FROM session_source"));
        std::array<timespec, 2> times{st.st_atim, timespec{mtime_ns / 1'000'000'000, mtime_ns % 1'000'000'000}};
        REQUIRE(::utimensat(AT_FDCWD, portal_path.c_str(), times.data(), 0) == 0);
        auto ended = read(*index, portal_path, 7);
        CHECK_FALSE(ended.result.unchanged);
        CHECK(ended.result.new_events == 1);
        CHECK(read(*index, portal_path, 7).result.unchanged);
    }
    SUBCASE("the same counter in a file of another time is read")
    {
        index->exec("UPDATE session_source SET mtime_ns = mtime_ns - 1");
        CHECK_FALSE(read(*index, portal_path, 7).result.unchanged);
        CHECK(read(*index, portal_path, 7).result.unchanged);
    }
    SUBCASE("a WAL database need not count its transactions: it is always read")
    {
        portal.db().exec("PRAGMA journal_mode = WAL");
        portal.db().exec("CREATE TABLE other(x)"); // the header says WAL from the first write on
        CHECK_FALSE(read(*index, portal_path, 7).result.unchanged);
        auto again = read(*index, portal_path, 7);
        CHECK_FALSE(again.result.unchanged);
        CHECK(again.result.rows > 0);
        CHECK(count(*index, "SELECT change_counter IS NULL FROM session_source") == 1);
    }
}

TEST_CASE("read_portal_db: a path with the characters that end or escape an SQLite URI")
{
    test::TempDir dir;
    auto portal_path = (dir.path() / "a?b#c%41.sqlite").string();
    Portal portal(portal_path, true);
    portal.add("a", stamp(k_t0), stamp(k_t0 + 60), 1);
    auto index = open_index_for_writing(dir.path() / "index.sqlite");
    auto first = read(*index, portal_path, 7);
    CHECK(first.result.new_events == 2);
    CHECK(first.diag.empty());
    CHECK_FALSE(std::filesystem::exists(dir.path() / "a"));
    CHECK(read(*index, portal_path, 7).result.unchanged);
}
