#include "util/ipv6.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("parse_ipv6 and format_ipv6")
{
    auto a = parse_ipv6("2001:DB8:0:0:0:0:0:1");
    REQUIRE(a);
    CHECK(static_cast<unsigned>(*a & 0xFFFFu) == 1u);
    CHECK(static_cast<unsigned>(*a >> 112) == 0x2001u);
    CHECK(format_ipv6(*a) == "2001:db8::1");
    CHECK(format_ipv6(0) == "::");
    CHECK(format_ipv6(k_ipv6_max) == "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    CHECK(format_ipv6(*parse_ipv6("::ffff:192.0.2.1")) == "::ffff:192.0.2.1");
    CHECK_FALSE(parse_ipv6("192.0.2.1"));
    CHECK_FALSE(parse_ipv6("2001:db8::1/64"));
    CHECK_FALSE(parse_ipv6("[2001:db8::1]"));
    CHECK_FALSE(parse_ipv6(""));
    CHECK_FALSE(parse_ipv6(std::string(100, '1')));
}

TEST_CASE("IPv6 prefixes and ranges")
{
    CHECK(format_ipv6_range(*parse_ipv6_network("fd00:4242::7/64")) == "fd00:4242::/64");
    CHECK(format_ipv6_range(*parse_ipv6_network("fd00:4242::7/128")) == "fd00:4242::7");
    CHECK(format_ipv6_range(*parse_ipv6_network("fd00:4242::7")) == "fd00:4242::7");
    CHECK(format_ipv6_range(*parse_ipv6_network("::/0")) == "::/0");
    CHECK(format_ipv6_range(Ipv6Range{}) == "::/0");
    auto net = *parse_ipv6_network("2001:db8::/127");
    CHECK(net.hi - net.lo == 1);
    CHECK_FALSE(parse_ipv6_network("2001:db8::/129"));
    CHECK_FALSE(parse_ipv6_network("2001:db8::/"));
    CHECK_FALSE(parse_ipv6_network("10.0.0.0/8"));
    CHECK(format_ipv6_range(*parse_ipv6_range("2001:db8::1-2001:db8::5")) == "2001:db8::1-2001:db8::5");
    CHECK(format_ipv6_range(*parse_ipv6_range("2001:db8::4-2001:db8::7")) == "2001:db8::4/126");
    CHECK_FALSE(parse_ipv6_range("2001:db8::5-2001:db8::1"));
    CHECK(parse_ipv6_network("fd00::/8")->contains(*parse_ipv6("fdff::1")));
    CHECK_FALSE(parse_ipv6_network("fd00::/8")->contains(*parse_ipv6("fe00::1")));
}
