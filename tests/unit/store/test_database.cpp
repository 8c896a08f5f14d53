#include "derive/ruleset_pack.hpp"
#include "store/database.hpp"
#include "store/rule_blocks.hpp"
#include "store/event_blocks.hpp"
#include "util/errors.hpp"
#include "util/zstd_frame.hpp"
#include "store/schema_sql.hpp"
#include "store/session_blocks.hpp"
#include "store/statements.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <sstream>
#include <tuple>

using namespace natfw;

namespace {

/// An index as natfw-index of schema `version` left it, holding `rows` (SQL).
void make_old_index(const std::filesystem::path& path, int version, const char* rows)
{
    SQLite::Database old(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    for (const auto& step : schema_steps())
        if (step.version <= version)
            old.exec(step.sql);
    REQUIRE(old.execAndGet("PRAGMA user_version").getInt() == version);
    old.exec(rows);
}

void make_version_2_index(const std::filesystem::path& path, const char* rows)
{
    make_old_index(path, 2, rows);
}

} // namespace

TEST_CASE("open_index_for_writing")
{
    test::TempDir dir;
    SUBCASE("schema step 3 keeps every diagnostic and rule, turning text into data")
    {
        auto path = dir.path() / "v2.sqlite";
        make_version_2_index(path,
            "INSERT INTO node(id, name) VALUES (1, 'n');"
            "INSERT INTO ruleset(id, digest, rule_count, derived) VALUES (1, 'd', 3, 2);"
            "INSERT INTO snapshot(id, node_id, valid_from, path, sha256, size, mtime_ns, ruleset_id, indexed_at) VALUES (1, 1, 1600000000, '/x', 'h', 1, 1, 1, 1);"
            "INSERT INTO rule VALUES (1, 0, 5, 'POSTROUTING', 'vpn', '', 0, 0, 4294967295, 0, NULL, NULL, NULL, NULL, '', '-A POSTROUTING -s 10.0.0.0/8 -g vpn');"
            "INSERT INTO rule VALUES (1, 1, 6, 'POSTROUTING', 'vpn', '', 0, 0, 4294967295, 0, NULL, NULL, NULL, NULL, '', '-A POSTROUTING -m comment --comment \"-g\" -j vpn');"
            "INSERT INTO rule VALUES (1, 2, 7, 'vpn', 'MASQUERADE', '', 0, 0, 4294967295, 0, NULL, NULL, NULL, NULL, '', '-A vpn -j MASQUERADE');"
            "INSERT INTO diagnostic VALUES (1, 0, 'check: 3 port block(s) lie in 32768-60999');"
            "INSERT INTO diagnostic VALUES (1, 4, 'unknown match \"foo\"');");
        auto db = open_index_for_writing(path);
        CHECK(db->execAndGet("PRAGMA user_version").getInt() == latest_schema_version()); // every step up to the newest
        std::vector<int> gotos;
        std::vector<std::string> texts;
        for (const auto& r : RuleBlocks(*db).all(1)) {
            gotos.push_back(r.goto_chain ? 1 : 0);
            texts.push_back(r.text);
        }
        CHECK(gotos == std::vector<int>{1, 0, 0});
        CHECK(texts == std::vector<std::string>{"-A POSTROUTING -s 10.0.0.0/8 -g vpn",
                                                "-A POSTROUTING -m comment --comment \"-g\" -j vpn",
                                                "-A vpn -j MASQUERADE"});
        // Step 12 moved the rows into blocks and dropped them.
        CHECK(db->execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'rule'").getInt() == 0);
        SQLite::Statement diags(*db, "SELECT line, kind, message FROM diagnostic ORDER BY line");
        REQUIRE(diags.executeStep());
        CHECK(diags.getColumn(1).getString() == "check");
        CHECK(diags.getColumn(2).getString() == "3 port block(s) lie in 32768-60999");
        REQUIRE(diags.executeStep());
        CHECK(diags.getColumn(1).getString() == "warning");
        CHECK(diags.getColumn(2).getString() == "unknown match \"foo\"");
        CHECK_FALSE(diags.executeStep());
    }
    SUBCASE("schema steps 7 and 8 move each session's evidence links into the session, and the events into "
            "blocks under ids the evidence follows")
    {
        auto path = dir.path() / "v6.sqlite";
        make_old_index(path, 6,
            "INSERT INTO session_source(id, kind, name, first_read_at, last_read_at) VALUES (1, 'log', '/l', 0, 0);"
            "INSERT INTO connection_event VALUES (1, 1, 1, 'C', 10, 'a', 'p', 'c1', 'openvpn', '10.0.0.2', NULL, NULL);"
            "INSERT INTO connection_event VALUES (2, 1, 2, 'C', 11, 'b', 'p', 'c2', 'openvpn', '10.0.0.3', NULL, NULL);"
            "INSERT INTO connection_event VALUES (3, 1, 3, 'D', 12, 'a', 'p', 'c1', 'openvpn', NULL, NULL, NULL);"
            "INSERT INTO vpn_session(id, user_id, profile, connection, vpn_proto, ip4, connected_at, disconnected_at, "
            "ended_by) VALUES (1, 'a', 'p', 'c1', 'openvpn', '10.0.0.2', 10, 12, 'disconnect');"
            "INSERT INTO vpn_session(id, user_id, profile, connection, vpn_proto, ip4, connected_at) "
            "VALUES (2, 'b', 'p', 'c2', 'openvpn', '10.0.0.3', 11);"
            "INSERT INTO vpn_session_evidence VALUES (1, 3), (1, 1), (2, 2);");
        auto db = open_index_for_writing(path);
        CHECK(db->execAndGet("PRAGMA user_version").getInt() == latest_schema_version());
        // One block (id 1) of three places in time order: events 1, 2, 3.
        CHECK(db->execAndGet("SELECT group_concat(evidence, ' ') FROM (SELECT evidence FROM vpn_session ORDER BY id)")
                  .getString() == "[1024,1026] [1025]");
        CHECK(db->execAndGet("SELECT count(*) FROM sqlite_master WHERE name IN ('vpn_session_evidence', "
                             "'connection_event', 'connection_event_v7')").getInt() == 0);
        EventReader reader(*db);
        auto first = reader.event(1024), second = reader.event(1025), third = reader.event(1026);
        REQUIRE((first && second && third));
        CHECK(std::tie(first->event.user, first->event.connection, first->event.ip4, first->event.time,
                       first->event.position) == std::make_tuple("a", "c1", "10.0.0.2", 10, 1));
        CHECK(first->event.kind == EventKind::connect);
        CHECK(std::tie(second->event.user, second->event.time) == std::make_tuple("b", 11));
        CHECK(third->event.kind == EventKind::disconnect);
        CHECK(third->event.ip4.empty());
        CHECK(third->source_id == 1);
        CHECK_FALSE(reader.event(1027));
    }
    SUBCASE("schema steps 3 and 4 derive every ruleset again: reach gaps and takers as "
            "rows, packs with a checksum")
    {
        auto path = dir.path() / "v2-reach.sqlite";
        // 10.0.0.2 has its own block first; the /24 rule is reached by the rest.
        make_version_2_index(path,
            "INSERT INTO node(id, name) VALUES (1, 'n');"
            "INSERT INTO ruleset(id, digest, rule_count, derived) VALUES (1, 'd', 2, 2);"
            "INSERT INTO rule VALUES (1, 0, 3, 'POSTROUTING', 'SNAT', 'tcp', 0, 167772162, 167772162, 0, 3221225985, 3221225985, 65280, 65535, '', '-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535');"
            "INSERT INTO rule VALUES (1, 1, 4, 'POSTROUTING', 'SNAT', 'tcp', 0, 167772160, 167772415, 0, 3221225985, 3221225985, 65280, 65535, '', '-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535');"
            "INSERT INTO rule_reach VALUES (1, 1, 6, 167772160, 167772415, '10.0.0.2', '3');"
            "INSERT INTO ruleset_pack VALUES (1, 2, x'00');");
        std::ostringstream diag;
        auto db = open_index_for_writing(path, &diag);
        CHECK(diag.str().find("re-derived the cells of 1 ruleset(s)") != std::string::npos);
        CHECK(db->execAndGet("SELECT derived FROM ruleset").getInt() == 6);
        CHECK(db->execAndGet("SELECT format FROM ruleset_pack").getInt() == k_pack_format);
        CHECK(db->execAndGet("SELECT lo || '-' || hi FROM rule_reach_gap WHERE "
                             "position = 1 AND proto = 6")
                  .getString()
            == "167772162-167772162");
        CHECK(db->execAndGet("SELECT group_concat(line) FROM rule_reach_taker "
                             "WHERE position = 1 AND proto = 6")
                  .getString()
            == "3");
        // Step 13: the cells live in blocks, the table of cell rows is gone.
        CHECK(db->execAndGet("SELECT count(*) FROM cell_block").getInt() > 0);
        CHECK(db->execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'nat_cell'").getInt() == 0);
    }
    SUBCASE("schema step 4 makes snapshots indexed with CRLF doubtful, and drops the old warning")
    {
        auto path = dir.path() / "v2-crlf.sqlite";
        make_version_2_index(path,
            "INSERT INTO node(id, name) VALUES (1, 'n');"
            "INSERT INTO snapshot(id, node_id, valid_from, path, sha256, size, mtime_ns, unusable_line, unusable_reason, indexed_at) VALUES (1, 1, 1600000000, '/x', 'h', 1, 1, 0, 'empty', 1);"
            "INSERT INTO snapshot(id, node_id, valid_from, path, sha256, size, mtime_ns, unusable_line, unusable_reason, indexed_at) VALUES (2, 1, 1600000100, '/y', 'h', 1, 1, 0, 'empty', 1);"
            "INSERT INTO diagnostic VALUES (2, 1, 'CRLF line ends (the file was copied from another system?); read as LF');"
            "INSERT INTO diagnostic VALUES (2, 4, 'unknown match \"foo\"');");
        auto db = open_index_for_writing(path);
        CHECK(db->execAndGet("SELECT count(*) FROM snapshot WHERE doubt_reason IS NOT NULL").getInt() == 1);
        CHECK(db->execAndGet("SELECT doubt_line FROM snapshot WHERE id = 2").getInt() == 1);
        CHECK(db->execAndGet("SELECT group_concat(message) FROM diagnostic").getString() == "unknown match \"foo\"");
    }
    SUBCASE("schema steps 11, 14 and 15: sessions stay, and each /24's block is derived from the session index alone")
    {
        auto path = dir.path() / "v10.sqlite";
        make_old_index(path, 10,
            "INSERT INTO vpn_session(id, user_id, profile, connection, vpn_proto, ip4, ip4_num, connected_at, "
            "disconnected_at, ended_by) VALUES (1, 'alice', 'staff', 'c1', 'wireguard', '10.0.0.2', 167772162, 5, 9, "
            "'disconnect'), (2, 'bob', 'staff', 'c2', 'openvpn', '10.0.1.7', 167772423, 7, NULL, NULL)");
        auto db = open_index_for_writing(path);
        SQLite::Statement plan(*db, std::string("EXPLAIN QUERY PLAN ") + sql::k_session_block_sessions);
        plan.bind(1, 167772160);
        plan.bind(2, 167772415);
        std::string steps;
        while (plan.executeStep())
            steps += plan.getColumn(3).getString() + "\n";
        CHECK(steps.find("COVERING INDEX vpn_session_ip4") != std::string::npos);
        CHECK(db->execAndGet("SELECT count(*) FROM vpn_session").getInt() == 2);
        CHECK(db->execAndGet("SELECT group_concat(net) FROM session_ip4_block").getString() == "655360,655361");
        auto block = SessionBlockReader(*db).read(0x0A0000);
        auto alice = block.of(167772162);
        REQUIRE(alice.size == 1);
        CHECK(alice.user(0) == "alice");
        CHECK(alice.start(0) == 5);
        CHECK(alice.end(0) == 9);
        CHECK(alice.ended_by(0) == 'd');
        CHECK(SessionBlockReader(*db).read(0x0A0001).of(167772423).user(0) == "bob");
        CHECK(session_block_faults(*db).empty());
    }
    SUBCASE("schema step 15: each /24's block is derived again without connection and row ids")
    {
        auto path = dir.path() / "v14.sqlite";
        // A block as schema 14 kept it: format 1 (its bytes do not matter, step 15 replaces them).
        make_old_index(path, 14,
            "INSERT INTO vpn_session(id, user_id, profile, connection, vpn_proto, ip4, ip4_num, connected_at, "
            "disconnected_at, ended_by) VALUES (1, 'alice', 'staff', 'c1', 'wireguard', '10.0.0.2', 167772162, 5, 9, "
            "'disconnect');"
            "INSERT INTO session_ip4_block(net, body) VALUES (655360, x'31000a0000');");
        auto db = open_index_for_writing(path);
        auto block = SessionBlockReader(*db).read(0x0A0000); // the view below points into it
        auto alice = block.of(167772162);
        REQUIRE(alice.size == 1);
        CHECK(alice.user(0) == "alice");
        CHECK(alice.end(0) == 9);
        CHECK(session_block_faults(*db).empty());
        auto index = db->execAndGet("SELECT sql FROM sqlite_master WHERE name = 'vpn_session_ip4'").getString();
        CHECK(index.find("user_id") != std::string::npos);
        CHECK(index.find("connection") == std::string::npos);
    }
    SUBCASE("schema step 18: each event block is written again in frames, its events and row unchanged")
    {
        auto path = dir.path() / "v17.sqlite";
        {
            // Two blocks as schema 17 wrote them (one frame each, format '1'):
            // made from new blocks' layouts, behind their 11-byte header.
            ConnectionEvent c;
            c.kind = EventKind::connect;
            c.time = 10;
            c.user = "ann";
            c.connection = "c1";
            c.ip4 = "10.0.0.2";
            auto d = c;
            d.kind = EventKind::disconnect;
            d.time = 12;
            auto layout = zstd_decompress(std::string_view(encode_event_block({{c, false}, {d, false}})).substr(11),
                                          1 << 20, "test");
            auto old = seal_old_event_block_for_tests("1" + layout);
            make_old_index(path, 17,
                "INSERT INTO session_source(id, kind, name, first_read_at, last_read_at) "
                "VALUES (1, 'log', '/l', 0, 0);");
            SQLite::Database db(path.string(), SQLite::OPEN_READWRITE);
            SQLite::Statement insert(db, "INSERT INTO connection_event_block VALUES (?1, 1, 10, 12, 1, 2, 2, 2, ?2)");
            for (std::int64_t id : {1, 2}) {
                insert.reset();
                insert.bind(1, id);
                // The second is damaged: it keeps its bytes, and a lookup says so.
                auto data = id == 1 ? old : old.substr(0, old.size() - 2);
                insert.bind(2, data.data(), static_cast<int>(data.size()));
                insert.exec();
            }
        }
        std::ostringstream diag;
        auto db = open_index_for_writing(path, &diag);
        CHECK(diag.str().find("warning: 1 connection event block(s) could not be read and keep their old layout") !=
              std::string::npos);
        CHECK(db->execAndGet("SELECT group_concat(hex(substr(data, 1, 1)), ' ') FROM connection_event_block")
                  .getString() == "32 28"); // '2', and zstd's magic still
        CHECK(db->execAndGet("SELECT group_concat(first_time || ',' || last_time || ',' || events || ',' || kept, ' ') "
                             "FROM connection_event_block").getString() == "10,12,2,2 10,12,2,2");
        EventReader reader(*db);
        auto first = reader.event(1024), second = reader.event(1025);
        REQUIRE((first && second));
        CHECK(std::tie(first->event.user, first->event.time, first->event.ip4) ==
              std::make_tuple("ann", 10, "10.0.0.2"));
        CHECK(second->event.kind == EventKind::disconnect);
        CHECK_FALSE(reader.event(1026));
        CHECK_THROWS_AS(reader.event(2048), Error);
    }
    SUBCASE("a new index gets its whole schema in one transaction, or none of it")
    {
        auto path = dir.path() / "conflict.sqlite";
        {
            SQLite::Database pre(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            pre.exec("CREATE TABLE diagnostic (x)"); // step 1 creates it too, late in the step
        }
        CHECK_THROWS_AS(open_index_for_writing(path), IndexUnavailable);
        SQLite::Database after(path.string(), SQLite::OPEN_READONLY);
        CHECK(after.execAndGet("PRAGMA user_version").getInt() == 0);
        CHECK(after.execAndGet("SELECT count(*) FROM sqlite_schema WHERE name = 'node'").getInt() == 0);
    }
    SUBCASE("an index newer than this build is refused, not touched")
    {
        auto path = dir.path() / "future.sqlite";
        {
            SQLite::Database future(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
            future.exec("PRAGMA user_version = 999");
        }
        CHECK_THROWS_AS(open_index_for_writing(path), IndexUnavailable);
        SQLite::Database after(path.string(), SQLite::OPEN_READONLY);
        CHECK(after.execAndGet("PRAGMA user_version").getInt() == 999);
    }
    SUBCASE("a new index gets 16 KiB pages; an existing one keeps its own")
    {
        auto fresh = dir.path() / "fresh.sqlite";
        CHECK(open_index_for_writing(fresh)->execAndGet("PRAGMA page_size").getInt() == 16384);
        auto old = dir.path() / "old.sqlite";
        make_version_2_index(old, "INSERT INTO node(id, name) VALUES (1, 'n')");
        {
            SQLite::Database before(old.string(), SQLite::OPEN_READONLY);
            REQUIRE(before.execAndGet("PRAGMA page_size").getInt() == 4096); // SQLite's default
        }
        auto db = open_index_for_writing(old);
        CHECK(db->execAndGet("PRAGMA page_size").getInt() == 4096);
        CHECK(db->execAndGet("SELECT name FROM node").getString() == "n");
        CHECK(db->execAndGet("PRAGMA user_version").getInt() == latest_schema_version());
    }
    SUBCASE("a path that cannot hold a database")
    {
        std::filesystem::create_directories(dir.path() / "is-a-dir.sqlite");
        CHECK_THROWS_AS(open_index_for_writing(dir.path() / "is-a-dir.sqlite"), IndexUnavailable);
    }
}
