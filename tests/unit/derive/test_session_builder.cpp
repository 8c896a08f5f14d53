#include "derive/session_builder.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

constexpr UnixMicros k_s = 1'000'000;
constexpr UnixMicros k_t0 = 1608986262 * k_s;

SourcedEvent ev(std::int64_t source, std::int64_t id, EventKind kind, UnixMicros t, std::string user,
                std::string conn, std::string ip4 = {})
{
    SourcedEvent se;
    se.id = id;
    se.source_id = source;
    se.event.kind = kind;
    se.event.time = t;
    se.event.user = std::move(user);
    se.event.profile = "office";
    se.event.connection = std::move(conn);
    se.event.vpn_proto = "openvpn";
    se.event.ip4 = std::move(ip4);
    return se;
}

constexpr auto C = EventKind::connect;
constexpr auto D = EventKind::disconnect;

} // namespace

TEST_CASE("build_sessions: pairs, a pool address held one after another")
{
    auto s = build_sessions({
        ev(1, 1, C, k_t0, "alice", "ca", "10.66.0.2"),
        ev(1, 2, D, k_t0 + 600 * k_s, "alice", "ca"),
        ev(1, 3, C, k_t0 + 700 * k_s, "bob", "cb", "10.66.0.2"),
        ev(1, 4, D, k_t0 + 900 * k_s, "bob", "cb"),
    });
    REQUIRE(s.size() == 2);
    CHECK(s[0].user == "alice");
    CHECK(s[0].ip4 == "10.66.0.2");
    CHECK(s[0].connected_at == k_t0);
    CHECK(s[0].disconnected_at == k_t0 + 600 * k_s);
    CHECK(s[0].ended_by == SessionEnd::disconnect);
    CHECK(s[0].evidence == std::vector<std::int64_t>{1, 2});
    CHECK(s[1].user == "bob");
    CHECK(s[1].ended_by == SessionEnd::disconnect);
}

TEST_CASE("build_sessions: inferred ends, unknown starts, open sessions")
{
    auto s = build_sessions({
        // alice never disconnects; bob gets her address later
        ev(1, 1, C, k_t0, "alice", "ca", "10.66.0.2"),
        ev(1, 2, C, k_t0 + 100 * k_s, "bob", "cb", "10.66.0.2"),
        // carol's connection connects twice without a DISCONNECT between
        ev(1, 3, C, k_t0, "carol", "cc", "10.66.0.3"),
        ev(1, 4, C, k_t0 + 50 * k_s, "carol", "cc", "10.66.0.4"),
        // dave disconnects; his CONNECT is before the log
        ev(1, 5, D, k_t0 + 10 * k_s, "dave", "cd"),
    });
    REQUIRE(s.size() == 5);
    // ordered by connection id, then time
    CHECK(s[0].user == "alice");
    CHECK(s[0].ended_by == SessionEnd::inferred);
    CHECK(s[0].disconnected_at == k_t0 + 100 * k_s);
    CHECK(s[0].inferred_why.find("10.66.0.2 was handed out again") != std::string::npos);
    CHECK(s[1].user == "bob");
    CHECK(s[1].ended_by == SessionEnd::open);
    CHECK_FALSE(s[1].disconnected_at);
    CHECK(s[2].ended_by == SessionEnd::inferred);
    CHECK(s[2].disconnected_at == k_t0 + 50 * k_s);
    CHECK(s[2].inferred_why.find("same connection connected again") != std::string::npos);
    CHECK(s[3].ended_by == SessionEnd::open);
    CHECK(s[4].user == "dave");
    CHECK_FALSE(s[4].connected_at);
    CHECK(s[4].disconnected_at == k_t0 + 10 * k_s);
    CHECK(s[4].ended_by == SessionEnd::disconnect);
}

TEST_CASE("build_sessions: one event from several sources is one, with the evidence of each")
{
    auto s = build_sessions({
        ev(1, 1, C, k_t0 + 400'000, "alice", "ca", "10.66.0.2"),          // journal, microseconds
        ev(2, 2, C, k_t0, "alice", "ca", "10.66.0.2"),                    // database, whole seconds
        ev(3, 3, C, k_t0 + 2 * k_s, "alice", "ca", "10.66.0.2"),          // hook, its own clock
        ev(1, 4, D, k_t0 + 60 * k_s, "alice", "ca"),
        ev(2, 5, D, k_t0 + 60 * k_s, "alice", "ca", "10.66.0.2"),
        // the same source twice within the window: two events, not one
        ev(1, 6, C, k_t0 + 61 * k_s, "alice", "ca", "10.66.0.2"),
        ev(1, 7, C, k_t0 + 63 * k_s, "alice", "ca", "10.66.0.2"),
    });
    REQUIRE(s.size() == 3);
    CHECK(s[0].connected_at == k_t0);
    CHECK(s[0].evidence == std::vector<std::int64_t>{2, 1, 3, 4, 5});
    CHECK(s[0].ended_by == SessionEnd::disconnect);
    CHECK(s[1].ended_by == SessionEnd::inferred);
    CHECK(s[2].ended_by == SessionEnd::open);
}

TEST_CASE("build_sessions: an address's holders, when several connected at one instant")
{
    auto with_ip6 = [](SourcedEvent se, std::string ip6) {
        se.event.ip6 = std::move(ip6);
        return se;
    };
    auto s = build_sessions({
        // alice and bob get 10.66.0.2 at the same instant: neither ends the other
        ev(1, 1, C, k_t0, "alice", "ca", "10.66.0.2"),
        ev(1, 2, C, k_t0, "bob", "cb", "10.66.0.2"),
        // bob leaves; alice still holds the address
        ev(1, 3, D, k_t0 + 30 * k_s, "bob", "cb"),
        // carol gets it: alice's session ends there
        ev(1, 4, C, k_t0 + 100 * k_s, "carol", "cc", "10.66.0.2"),
        ev(1, 5, D, k_t0 + 150 * k_s, "carol", "cc"),
        // nobody holds it now; dave's session stays open
        ev(1, 6, C, k_t0 + 200 * k_s, "dave", "cd", "10.66.0.2"),
        // the IPv6 address alone hands a session over
        with_ip6(ev(1, 7, C, k_t0 + 300 * k_s, "erin", "ce", "10.66.0.7"), "fd00::7"),
        with_ip6(ev(1, 8, C, k_t0 + 400 * k_s, "frank", "cf", "10.66.0.8"), "fd00::7"),
    });
    REQUIRE(s.size() == 6);
    CHECK(s[0].user == "alice");
    CHECK(s[0].ended_by == SessionEnd::inferred);
    CHECK(s[0].disconnected_at == k_t0 + 100 * k_s);
    CHECK(s[0].inferred_why.find("10.66.0.2 was handed out again") != std::string::npos);
    CHECK(s[0].inferred_why.find("(to carol, connection cc)") != std::string::npos);
    CHECK(s[1].user == "bob");
    CHECK(s[1].ended_by == SessionEnd::disconnect);
    CHECK(s[1].disconnected_at == k_t0 + 30 * k_s);
    CHECK(s[2].user == "carol");
    CHECK(s[2].ended_by == SessionEnd::disconnect);
    CHECK(s[3].user == "dave");
    CHECK(s[3].ended_by == SessionEnd::open);
    CHECK(s[4].user == "erin");
    CHECK(s[4].ended_by == SessionEnd::inferred);
    CHECK(s[4].disconnected_at == k_t0 + 400 * k_s);
    CHECK(s[4].inferred_why.find("fd00::7 was handed out again") != std::string::npos);
    CHECK(s[5].user == "frank");
    CHECK(s[5].ended_by == SessionEnd::open);
}
