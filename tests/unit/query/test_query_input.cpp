#include "util/errors.hpp"
#include "query/query_input.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("parse_proto")
{
    CHECK(parse_proto("") == "");
    CHECK(parse_proto("TCP") == "tcp");
    CHECK(parse_proto("udp") == "udp");
    CHECK_THROWS_WITH_AS(parse_proto("icmp"),
                         doctest::Contains("ICMP has no ports"), UsageError);
    CHECK_THROWS_WITH_AS(parse_proto("gre"), "protocol \"gre\" has no ports this tool can trace; use tcp or udp",
                         UsageError);
}

TEST_CASE("parse_port_arg")
{
    CHECK(parse_port_arg("1") == 1);
    CHECK(parse_port_arg("65535") == 65535);
    CHECK_THROWS_WITH_AS(parse_port_arg("0"), "port 0 is outside 1-65535", UsageError);
    CHECK_THROWS_WITH_AS(parse_port_arg("65536"), "port 65536 is outside 1-65535", UsageError);
    CHECK_THROWS_WITH_AS(parse_port_arg("80x"), "port \"80x\" is not a number", UsageError);
    CHECK_THROWS_AS(parse_port_arg(""), UsageError);
    CHECK_THROWS_AS(parse_port_arg("-1"), UsageError);
}

TEST_CASE("make_query")
{
    TimeParser utc("UTC");
    auto q = make_query({"@1608986262", "192.0.2.1", "65300"}, "tcp", "", utc);
    CHECK(q.instants == std::vector<UnixSeconds>{1608986262});
    CHECK(q.ip == *parse_ipv4("192.0.2.1"));
    CHECK(q.port == 65300);
    CHECK(q.proto == "tcp");
    CHECK_FALSE(q.client);
    CHECK(q.address == "192.0.2.1");
    CHECK_THROWS_WITH_AS(make_query({"2020-12-26", "13:37:42", "192.0.2.1", "65300"}, "", "", utc),
                         "expected TIME PUBLIC_IP PORT (or TIME CLIENT_ADDRESS), got 4 argument(s); quote a time "
                         "with spaces: \"2020-12-26 13:37:42\"",
                         UsageError);
    CHECK_THROWS_WITH_AS(make_query({"@1", "192.0.2", "1"}, "", "", utc),
                         "\"192.0.2\" is not an IPv4 or IPv6 address", UsageError);
}

TEST_CASE("make_query: addresses with a port in one argument, IPv6, client addresses")
{
    TimeParser utc("UTC");
    auto q = make_query({"@1", "192.0.2.1:65300"}, "", "", utc);
    CHECK((q.ip == *parse_ipv4("192.0.2.1") && q.port == 65300 && !q.client));

    q = make_query({"@1", "192.0.2.1"}, "", "", utc); // no port: only a client's own address can answer
    CHECK((q.client && q.port == 0 && q.address == "192.0.2.1"));

    q = make_query({"@1", "2001:DB8:0:0:0:0:0:1"}, "", "", utc);
    CHECK((q.client && q.address == "2001:db8::1" && q.port == 0));

    // With a port, an IPv6 address may be a NAT66 public one (the front decides).
    q = make_query({"@1", "[2001:db8::1]:443"}, "", "", utc);
    CHECK((!q.client && q.address == "2001:db8::1" && q.port == 443));

    q = make_query({"@1", "2001:db8::1", "443"}, "", "", utc); // unbracketed: the whole text is the address
    CHECK((!q.client && q.address == "2001:db8::1" && q.port == 443));

    q = make_query({"@1", "::ffff:192.0.2.10", "65300"}, "", "", utc); // mapped IPv4 is IPv4
    CHECK((!q.client && q.address == "192.0.2.10" && q.ip == *parse_ipv4("192.0.2.10")));

    q = make_query({"@1", "[::ffff:192.0.2.10]:65300"}, "", "", utc);
    CHECK((!q.client && q.address == "192.0.2.10" && q.port == 65300));

    CHECK_THROWS_WITH_AS(make_query({"@1", "192.0.2.1:80", "81"}, "", "", utc),
                         "the port is given twice: in \"192.0.2.1:80\" and as \"81\"", UsageError);
    CHECK_THROWS_WITH_AS(make_query({"@1", "[2001:db8::1]443"}, "", "", utc),
                         "\"[2001:db8::1]443\": write an IPv6 address with a port as [ADDRESS]:PORT", UsageError);
    CHECK_THROWS_WITH_AS(make_query({"@1", "192.0.2.1:x"}, "", "", utc), "port \"x\" is not a number", UsageError);
    CHECK_THROWS_AS(make_query({"@1", "2001:db8::g"}, "", "", utc), UsageError);
    CHECK_THROWS_AS(make_query({"@1", "1:2:3:4:5:6:7:8:9"}, "", "", utc), UsageError);
}

TEST_CASE("make_query: PORT/tcp and PORT/udp, as complaints write them, set the protocol")
{
    TimeParser utc("UTC");
    auto q = make_query({"@1", "192.0.2.1", "65300/tcp"}, "", "", utc);
    CHECK((q.port == 65300 && q.proto == "tcp" && !q.client));
    q = make_query({"@1", "192.0.2.1:65300/UDP"}, "", "", utc);
    CHECK((q.port == 65300 && q.proto == "udp"));
    q = make_query({"@1", "[2001:db8::1]:443/tcp"}, "", "", utc);
    CHECK((q.address == "2001:db8::1" && q.port == 443 && q.proto == "tcp"));
    q = make_query({"@1", "192.0.2.1", "65300/tcp"}, "TCP", "", utc);
    CHECK(q.proto == "tcp");
    CHECK_THROWS_WITH_AS(make_query({"@1", "192.0.2.1", "65300/udp"}, "tcp", "", utc),
                         "the protocol is given twice and differs: --proto tcp and \"65300/udp\"", UsageError);
    CHECK_THROWS_WITH_AS(make_query({"@1", "192.0.2.1", "/tcp"}, "", "", utc),
                         "\"/tcp\": write the protocol after the port, as 65300/tcp or 65300/udp", UsageError);
    CHECK_THROWS_WITH_AS(make_query({"@1", "192.0.2.1", "65300/"}, "", "", utc),
                         "\"65300/\": write the protocol after the port, as 65300/tcp or 65300/udp", UsageError);
    CHECK_THROWS_AS(make_query({"@1", "192.0.2.1", "65300/icmp"}, "", "", utc), UsageError);
    CHECK_THROWS_WITH_AS(make_query({"@1", "192.0.2.1", "65300/sctp"}, "", "", utc),
                         "protocol \"sctp\" has no ports this tool can trace; use tcp or udp", UsageError);
}

TEST_CASE("parse_duration")
{
    CHECK(parse_duration("0", "--skew") == 0);
    CHECK(parse_duration("300", "--skew") == 300);
    CHECK(parse_duration("90s", "--skew") == 90);
    CHECK(parse_duration("15m", "--skew") == 900);
    CHECK(parse_duration("2h", "--skew") == 7200);
    CHECK(parse_duration("5d", "--flow-age") == 432000);
    CHECK(parse_duration("3650d", "--flow-age") == 3650 * 86400);
    CHECK_THROWS_WITH_AS(parse_duration("5x", "--skew"),
                         "--skew \"5x\" is not a duration: give seconds, or a number with s, m, h or d (e.g. 300, "
                         "15m, 5d), at most 3650d",
                         UsageError);
    for (const char* bad : {"", "d", "-5", "1.5h", "3651d", "99999999999999999999", "5 d", "+5"})
        CHECK_THROWS_AS(parse_duration(bad, "--skew"), UsageError);
}

TEST_CASE("set_window")
{
    Query q;
    set_window(q, 60, 0);
    CHECK((q.window_before == 60 && q.window_after == 60));
    set_window(q, 60, 3600);
    CHECK((q.window_before == 3600 && q.window_after == 60));
    set_window(q, 0, 3600);
    CHECK((q.window_before == 3600 && q.window_after == 0));
    set_window(q, 0, 0);
    CHECK_FALSE(q.has_window());
}
