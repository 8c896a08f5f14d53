#include "util/ipv4.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("parse_ipv4")
{
    CHECK(parse_ipv4("192.0.2.1") == 0xC0000201u);
    CHECK(parse_ipv4("0.0.0.0") == 0u);
    CHECK(parse_ipv4("255.255.255.255") == 0xFFFFFFFFu);
    SUBCASE("rejects what inet_pton rejects")
    {
        CHECK_FALSE(parse_ipv4(""));
        CHECK_FALSE(parse_ipv4("192.0.2"));
        CHECK_FALSE(parse_ipv4("192.0.2.256"));
        CHECK_FALSE(parse_ipv4("192.0.2.1 "));
        CHECK_FALSE(parse_ipv4("1.2.3.4.5"));
        CHECK_FALSE(parse_ipv4("::1"));
        CHECK_FALSE(parse_ipv4("1111111111111111111"));
    }
}

TEST_CASE("parse_ipv4_network")
{
    CHECK(format_ipv4_range(*parse_ipv4_network("10.0.0.0/24")) == "10.0.0.0/24");
    CHECK(format_ipv4_range(*parse_ipv4_network("10.0.0.7/24")) == "10.0.0.0/24");
    CHECK(format_ipv4_range(*parse_ipv4_network("10.0.0.7/32")) == "10.0.0.7");
    CHECK(format_ipv4_range(*parse_ipv4_network("10.0.0.7/255.255.0.0")) == "10.0.0.0/16");
    CHECK(format_ipv4_range(*parse_ipv4_network("0.0.0.0/0")) == "0.0.0.0/0");
    CHECK_FALSE(parse_ipv4_network("10.0.0.0/33"));
    CHECK_FALSE(parse_ipv4_network("10.0.0.0/"));
    CHECK_FALSE(parse_ipv4_network("10.0.0.0/255.0.255.0"));
}

TEST_CASE("parse_ipv4_dash_range")
{
    auto r = parse_ipv4_dash_range("192.0.2.1-192.0.2.4");
    REQUIRE(r);
    CHECK(format_ipv4_range(*r) == "192.0.2.1-192.0.2.4");
    CHECK(format_ipv4_range(*parse_ipv4_dash_range("192.0.2.0-192.0.2.3")) == "192.0.2.0/30");
    CHECK_FALSE(parse_ipv4_dash_range("192.0.2.4-192.0.2.1"));
    CHECK_FALSE(parse_ipv4_dash_range("192.0.2.4"));
}
