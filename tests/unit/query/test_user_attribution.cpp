// From candidate addresses to users, and a client's own address, over sessions
// ingested from a connection log the test writes.
#include "index_fixture.hpp"

#include "index/session_ingest.hpp"
#include "query/client_address.hpp"
#include "query/user_attribution.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <optional>
#include <span>
#include <stdexcept>
#include <vector>

using namespace natfw;
using test::IndexFixture;
using test::nat_table;

namespace {

// dave holds 10.0.0.8 09:30-10:50 UTC, erin 10:52-10:55; alice 10.0.0.2 10:00-11:00; bob
// 10.0.0.3 10:30-12:00; carol connects on 10.0.0.2 at 13:00 and never
// disconnects. The log covers 09:00 .. 13:00 (its first and last events).
const char* k_log =
    "2020-12-26T09:00:00+0000 vpn vpn-user-portal[1]: DISCONNECT zed (p:c0)\n"
    "2020-12-26T09:30:00+0000 vpn vpn-user-portal[1]: CONNECT dave (p:c4) [* => 10.0.0.8,fd00::8]\n"
    "2020-12-26T10:00:00+0000 vpn vpn-user-portal[1]: CONNECT alice (p:c1) [198.51.100.1 => 10.0.0.2,fd00::2]\n"
    "2020-12-26T10:30:00+0000 vpn vpn-user-portal[1]: CONNECT bob (p:c2) [198.51.100.2 => 10.0.0.3,fd00::3]\n"
    "2020-12-26T10:50:00+0000 vpn vpn-user-portal[1]: DISCONNECT dave (p:c4)\n"
    "2020-12-26T10:52:00+0000 vpn vpn-user-portal[1]: CONNECT erin (p:c5) [* => 10.0.0.8,fd00::8]\n"
    "2020-12-26T10:55:00+0000 vpn vpn-user-portal[1]: DISCONNECT erin (p:c5)\n"
    "2020-12-26T11:00:00+0000 vpn vpn-user-portal[1]: DISCONNECT alice (p:c1)\n"
    "2020-12-26T12:00:00+0000 vpn vpn-user-portal[1]: DISCONNECT bob (p:c2)\n"
    "2020-12-26T13:00:00+0000 vpn vpn-user-portal[1]: CONNECT carol (p:c3) [* => 10.0.0.2,fd00::2]\n";

struct SessionFixture : IndexFixture {
    SessionFixture()
    {
        // A host rule for dave's address, then a subnet rule for the rest (dave's address excepted).
        snapshot("vpn", 1608940800,
                 nat_table("-A POSTROUTING -s 10.0.0.8/32 -p tcp -j SNAT --to-source 192.0.2.1:2000-2999\n"
                           "-A POSTROUTING -s 10.0.0.0/28 -p tcp -j SNAT --to-source 192.0.2.1:1000-1999\n"));
        index({"vpn"});
        SessionIngestOptions o;
        o.logs = {dir().write("portal.log", k_log).string()};
        o.tz = "UTC";
        std::ostringstream diag;
        auto sum = ingest_sessions(db(), o, diag);
        REQUIRE(sum.clean());
        REQUIRE(sum.sessions == 6);
    }

    Answer who(const std::string& time, const std::string& port)
    {
        Answer a = lookup(time, "192.0.2.1", port, "tcp");
        SessionHistory s(db());
        attribute_users(s, last_query(), a);
        return a;
    }

    Answer client(const std::vector<std::string>& args)
    {
        Query q = make_query(args, "", "", TimeParser("UTC"));
        SessionHistory s(db());
        Answer a = answer_client_address(s, q);
        attribute_users(s, q, a);
        return a;
    }
};

} // namespace

TEST_CASE("attribute_users: the user behind the candidate addresses")
{
    SessionFixture f;
    SUBCASE("a host rule's address held by one session")
    {
        auto a = f.who("2020-12-26T10:15:00Z", "2500");
        REQUIRE(a.users);
        CHECK(a.status == Status::unique);
        CHECK(a.users->status == UserStatus::unique);
        CHECK(a.users->user == "dave");
        REQUIRE(a.candidates.size() == 1);
        REQUIRE(a.candidates[0].sessions.size() == 1);
        CHECK(a.candidates[0].sessions[0].connection == "c4");
    }
    SUBCASE("a subnet rule with one client connected (dave's address excepted): the address is ambiguous, the "
            "user is not")
    {
        auto a = f.who("2020-12-26T10:15:00Z", "1500");
        CHECK(a.status == Status::ambiguous);
        REQUIRE(a.users);
        CHECK(a.users->status == UserStatus::unique);
        CHECK(a.users->user == "alice");
        CHECK(a.users->reason.find("alice") != std::string::npos);
    }
    SUBCASE("a subnet rule with two clients connected: two users")
    {
        auto a = f.who("2020-12-26T10:45:00Z", "1500");
        REQUIRE(a.users);
        CHECK(a.users->status == UserStatus::ambiguous);
        CHECK(a.users->users == std::vector<std::string>{"alice", "bob"});
        CHECK_FALSE(a.users->user);
    }
    SUBCASE("covered by the log, held by nobody: none")
    {
        auto a = f.who("2020-12-26T12:30:00Z", "2500");
        CHECK(a.status == Status::unique);
        REQUIRE(a.users);
        CHECK(a.users->status == UserStatus::none);
    }
    SUBCASE("before the log starts: unknown, saying what the log covers")
    {
        auto a = f.who("2020-12-26T08:00:00Z", "2500");
        REQUIRE(a.users);
        CHECK(a.users->status == UserStatus::unknown);
        CHECK(a.users->reason.find("2020-12-26T09:00:00Z .. 2020-12-26T13:00:00Z") != std::string::npos);
    }
    SUBCASE("an address changing hands near the instant earns a warning")
    {
        auto a = f.who("2020-12-26T10:48:00Z", "2500"); // dave leaves at 10:50, erin comes at 10:52
        bool warned = false;
        for (const auto& w : a.warnings)
            warned = warned || (w.find("10.0.0.8 changed hands") == 0 && w.find("erin") != std::string::npos);
        CHECK(warned);
        CHECK(a.users->user == "dave");
    }
}

TEST_CASE("answer_client_address: a client's own address from the sessions")
{
    SessionFixture f;
    SUBCASE("IPv6 held by a session: unique, the address itself, the user")
    {
        auto a = f.client({"2020-12-26T10:15:00Z", "FD00:0:0::2"});
        CHECK(a.status == Status::unique);
        REQUIRE(a.candidates.size() == 1);
        CHECK(a.candidates[0].internal == "fd00::2");
        CHECK(a.candidates[0].snapshot == nullptr);
        REQUIRE(a.users);
        CHECK(a.users->user == "alice");
    }
    SUBCASE("the same address later belongs to the next holder (carol, still connected)")
    {
        auto a = f.client({"2020-12-26T13:05:00Z", "fd00::2", "443"});
        REQUIRE(a.users);
        CHECK(a.users->user == "carol");
    }
    SUBCASE("an IPv4 client address without a port")
    {
        auto a = f.client({"2020-12-26T11:30:00Z", "::ffff:10.0.0.3"});
        CHECK(a.status == Status::unique);
        CHECK(a.candidates.at(0).internal == "10.0.0.3");
        CHECK(a.users->user == "bob");
    }
    SUBCASE("nobody held it: none, and for IPv4 without a port a hint to give one")
    {
        auto a = f.client({"2020-12-26T12:30:00Z", "fd00::3"});
        CHECK(a.status == Status::none);
        CHECK(a.reason == "no VPN session held fd00::3 then");
        a = f.client({"2020-12-26T12:30:00Z", "192.0.2.1"});
        CHECK(a.status == Status::none);
        CHECK(a.reason.find("give the source port too") != std::string::npos);
    }
    SUBCASE("held_by_a_client tells a public pool address from a NATed one")
    {
        SessionHistory s(f.db());
        CHECK(held_by_a_client(s, make_query({"2020-12-26T10:15:00Z", "10.0.0.2", "80"}, "", "", TimeParser("UTC"))));
        CHECK_FALSE(held_by_a_client(s, make_query({"2020-12-26T10:15:00Z", "192.0.2.1", "80"}, "", "", TimeParser("UTC"))));
    }
}

TEST_CASE("answer_client_address without any session source")
{
    IndexFixture f;
    SessionHistory s(f.db());
    auto a = answer_client_address(s, make_query({"@1", "2001:db8::1"}, "", "", TimeParser("UTC")));
    CHECK(a.status == Status::none);
    CHECK(a.reason == "a client's own address is answered from the VPN sessions, and the index holds none");
}

TEST_CASE("SessionHistory: batch mode (addresses kept in memory) finds what single mode finds")
{
    SessionFixture f;
    SessionHistory single(f.db()), batch(f.db(), SessionHistory::Mode::batch);
    constexpr UnixMicros us = 1'000'000;
    const UnixMicros day = 1608940800 * us; // 2020-12-26T00:00:00Z
    int compared = 0, found = 0;
    for (const char* address : {"10.0.0.2", "10.0.0.3", "10.0.0.8", "10.0.0.9"})
        for (UnixMicros t = day + 8 * 3600 * us; t <= day + 14 * 3600 * us; t += 600 * us)
            for (UnixMicros window : {UnixMicros{0}, 300 * us, 3600 * us}) {
                std::vector<SessionRecord> a, b;
                single.holding(address, t - window, t + window, a);
                batch.holding(address, t - window, t + window, b);
                std::vector<std::int64_t> ia, ib;
                for (const auto& s : a)
                    ia.push_back(s.id);
                for (const auto& s : b)
                    ib.push_back(s.id);
                CHECK_MESSAGE(ia == ib, address, " at ", t / us, " +-", window / us);
                ++compared;
                found += !a.empty();
                if (!a.empty())
                    CHECK(b.front().evidence.empty()); // batches read no evidence
            }
    CHECK(compared == 4 * 37 * 3);
    CHECK(found > 100);
}

TEST_CASE("attribute_users: a batch's sole-holder shortcut answers as the general way does")
{
    // The shortcut takes rows with one host candidate and one session near
    // the instant; every other row takes the general way. Both histories
    // must give the same user answer and warnings at every instant, on
    // either side of each change of hands.
    SessionFixture f;
    SessionHistory single(f.db()), batch(f.db(), SessionHistory::Mode::batch);
    const UnixSeconds day = 1608940800; // 2020-12-26T00:00:00Z
    int compared = 0, named = 0, asked_rows = 0;
    for (const char* port : {"2500", "1500"})
        for (UnixSeconds t = day + 8 * 3600; t <= day + 14 * 3600; t += 60) {
            auto time = format_iso_utc(t);
            Answer a = f.lookup(time, "192.0.2.1", port, "tcp");
            Answer b = a, c = a;
            const Query q = f.last_query();
            attribute_users(single, q, a);
            attribute_users(batch, q, b);
            // As a batch group does: the block asked first, the answer given to attribute_users.
            auto question = block_question(batch, q, c);
            auto asked = question ? std::optional(ask_block(batch, *question)) : std::nullopt;
            attribute_users(batch, q, c, asked ? &*asked : nullptr);
            for (const Answer* other : {&b, &c}) {
                REQUIRE(a.users);
                REQUIRE(other->users);
                CHECK_MESSAGE(a.users->status == other->users->status, time, " port ", port);
                CHECK_MESSAGE(a.users->users == other->users->users, time, " port ", port);
                CHECK_MESSAGE(a.users->user == other->users->user, time, " port ", port);
                CHECK_MESSAGE(a.users->reason == other->users->reason, time, " port ", port);
                CHECK_MESSAGE(a.warnings == other->warnings, time, " port ", port);
            }
            asked_rows += asked.has_value();
            ++compared;
            named += a.users->status == UserStatus::unique;
        }
    CHECK(compared == 2 * 361);
    CHECK(named > 200);
    CHECK(asked_rows == 361); // every row of the host rule's port asks its block; the subnet's never
}

TEST_CASE("attribute_users: a block answer asked before is taken only for the question it answers")
{
    SessionFixture f;
    SessionHistory single(f.db()), batch(f.db(), SessionHistory::Mode::batch);
    Answer a = f.lookup("2020-12-26T10:40:00Z", "192.0.2.1", "2500", "tcp"); // dave's host rule
    const Query q = f.last_query();
    CHECK_FALSE(block_question(single, q, a)); // single lookups read sessions with their evidence
    auto question = block_question(batch, q, a);
    REQUIRE(question);
    CHECK(question->ip == 0x0A000008);
    auto asked = ask_block(batch, *question);
    CHECK(asked.kind == SessionHistory::Holder::Kind::sole);
    CHECK(asked.user == "dave");

    // A made-up answer shows which one attribute_users took.
    BlockAnswer made_up = asked;
    made_up.user = "mallory";
    SUBCASE("the same question: the answer given is the one used")
    {
        attribute_users(batch, q, a, &made_up);
        REQUIRE(a.users);
        CHECK(a.users->user == "mallory");
    }
    SUBCASE("another question (a stale answer): the block is asked again")
    {
        made_up.question.to += 1;
        attribute_users(batch, q, a, &made_up);
        REQUIRE(a.users);
        CHECK(a.users->user == "dave");
    }
}

TEST_CASE("SessionHistory::sole_holders answers each question as sole_holder does")
{
    SessionFixture f;
    SessionHistory grouped(f.db(), SessionHistory::Mode::batch), one(f.db(), SessionHistory::Mode::batch);
    constexpr UnixMicros us = 1'000'000;
    const UnixMicros day = 1608940800 * us; // 2020-12-26T00:00:00Z
    // Addresses in no particular order, one outside every session's /24,
    // times before, inside and after the sessions.
    std::vector<SessionHistory::HolderQuestion> questions;
    for (UnixMicros t = day + 8 * 3600 * us; t <= day + 14 * 3600 * us; t += 420 * us)
        for (Ipv4 ip : {0x0A000008u, 0x0A000002u, 0xC0A80001u, 0x0A000003u, 0x0A000009u})
            questions.push_back({ip, t, t + (ip & 1) * 900 * us});
    std::vector<SessionHistory::Holder> out(questions.size());
    grouped.sole_holders(questions, 300 * us, out);
    int sole = 0, nobody = 0;
    for (std::size_t i = 0; i < questions.size(); ++i) {
        const auto& q = questions[i];
        auto expected = one.sole_holder(q.ip, q.from, q.to, 300 * us);
        CHECK_MESSAGE(out[i].kind == expected.kind, i);
        CHECK_MESSAGE(out[i].user == expected.user, i);
        sole += out[i].kind == SessionHistory::Holder::Kind::sole;
        nobody += out[i].kind == SessionHistory::Holder::Kind::nobody;
    }
    CHECK(sole > 20);
    CHECK(nobody > 20);

    std::vector<BlockAnswer> answers(questions.size());
    ask_blocks(grouped, questions, answers);
    for (std::size_t i = 0; i < questions.size(); ++i) {
        auto expected = ask_block(one, questions[i]);
        CHECK(answers[i].question == questions[i]);
        CHECK(answers[i].kind == expected.kind);
        CHECK(answers[i].user == expected.user);
    }

    std::vector<SessionHistory::HolderQuestion> too_many(SessionHistory::k_max_questions + 1);
    std::vector<SessionHistory::Holder> room(too_many.size());
    CHECK_THROWS_AS(grouped.sole_holders(too_many, 300 * us, room), std::logic_error);
    CHECK_THROWS_AS(grouped.sole_holders(questions, 300 * us, std::span(room).first(3)), std::logic_error);

    SessionHistory single(f.db());
    single.sole_holders(questions, 300 * us, out);
    CHECK(std::all_of(out.begin(), out.end(),
                      [](const auto& h) { return h.kind == SessionHistory::Holder::Kind::other; }));
}

TEST_CASE("SessionHistory: a batch's block walk passes sessions that ended before the window, as the SQL walk does")
{
    // The portal's database holds alice on 10.0.0.5 from 08:00 to 12:00,
    // while the log shows three short sessions of others on that address
    // from 09:00 to 09:50 (sources that disagree; the index keeps both). A
    // window after the short ones meets hers only: each walk must pass the
    // short ones, which ended before the window, to reach hers.
    IndexFixture f;
    const auto portal = f.dir().path() / "portal.sqlite";
    {
        SQLite::Database db(portal.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("CREATE TABLE connection_log (user_id VARCHAR(255) NOT NULL, profile_id VARCHAR(255) NOT NULL, "
                "vpn_proto VARCHAR(255) NOT NULL, connection_id VARCHAR(255) NOT NULL, ip_four VARCHAR(255) NOT NULL, "
                "ip_six VARCHAR(255) NOT NULL, connected_at VARCHAR(255) NOT NULL, bytes_in INTEGER DEFAULT NULL, "
                "bytes_out INTEGER DEFAULT NULL, disconnected_at VARCHAR(255) DEFAULT NULL);"
                "INSERT INTO connection_log VALUES ('alice', 'p', 'openvpn', 'c9', '10.0.0.5', 'fd00::5', "
                "'2020-12-26T08:00:00+00:00', 1, 1, '2020-12-26T12:00:00+00:00');");
    }
    SessionIngestOptions o;
    o.logs = {f.dir()
                  .write("portal.log",
                         "2020-12-26T08:00:00+0000 vpn vpn-user-portal[1]: CONNECT zed (p:c0) [* => 10.0.0.9,fd00::9]\n"
                         "2020-12-26T09:00:00+0000 vpn vpn-user-portal[1]: CONNECT bob (p:c1) [* => 10.0.0.5,fd00::5]\n"
                         "2020-12-26T09:10:00+0000 vpn vpn-user-portal[1]: DISCONNECT bob (p:c1)\n"
                         "2020-12-26T09:20:00+0000 vpn vpn-user-portal[1]: CONNECT erin (p:c2) [* => 10.0.0.5,fd00::5]\n"
                         "2020-12-26T09:30:00+0000 vpn vpn-user-portal[1]: DISCONNECT erin (p:c2)\n"
                         "2020-12-26T09:40:00+0000 vpn vpn-user-portal[1]: CONNECT dave (p:c3) [* => 10.0.0.5,fd00::5]\n"
                         "2020-12-26T09:50:00+0000 vpn vpn-user-portal[1]: DISCONNECT dave (p:c3)\n"
                         "2020-12-26T13:00:00+0000 vpn vpn-user-portal[1]: DISCONNECT zed (p:c0)\n")
                  .string()};
    o.portal_dbs = {portal.string()};
    o.tz = "UTC";
    std::ostringstream diag;
    REQUIRE(ingest_sessions(f.db(), o, diag).clean());
    REQUIRE(f.db().execAndGet("SELECT count(*) FROM vpn_session WHERE ip4 = '10.0.0.5'").getInt() == 4);
    SessionHistory single(f.db()), batch(f.db(), SessionHistory::Mode::batch);
    constexpr UnixMicros us = 1'000'000;
    const UnixMicros day = 1608940800 * us; // 2020-12-26T00:00:00Z
    constexpr UnixMicros margin = 60 * us;
    int compared = 0, alice_alone = 0;
    for (UnixMicros t = day + 8 * 3600 * us; t <= day + 13 * 3600 * us; t += 300 * us) {
        std::vector<SessionRecord> found, near;
        single.holding("10.0.0.5", t, t, found);
        single.holding("10.0.0.5", t - margin, t + margin, near);
        CHECK_MESSAGE(batch.held("10.0.0.5", t, t) == !found.empty(), format_iso_utc(t / us));
        // sole_holder's contract, from the SQL walk: one session near the
        // instant and holding it then, none near it, or anything else.
        const auto holder = batch.sole_holder(0x0A000005, t, t, margin);
        const auto expected = near.size() == 1 && found.size() == 1 ? SessionHistory::Holder::Kind::sole
                              : near.empty()                        ? SessionHistory::Holder::Kind::nobody
                                                                    : SessionHistory::Holder::Kind::other;
        CHECK_MESSAGE(holder.kind == expected, format_iso_utc(t / us));
        if (found.size() == 1 && found[0].user == "alice") {
            ++alice_alone;
            if (expected == SessionHistory::Holder::Kind::sole)
                CHECK(holder.user == "alice");
        }
        ++compared;
    }
    CHECK(compared == 61);
    // Before bob (08:00-08:55), between the short sessions (09:15, 09:35) and after them (09:55-12:00).
    CHECK(alice_alone == 12 + 2 + 26);
}
