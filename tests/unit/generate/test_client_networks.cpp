#include "util/errors.hpp"
#include "generate/client_networks.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("parse_network_spec")
{
    SUBCASE("one network: the first host is the gateway, clients follow it up to the last host")
    {
        auto n = parse_network_spec("10.8.0.0/24");
        REQUIRE(n.size() == 1);
        CHECK(n[0].cidr() == "10.8.0.0/24");
        CHECK(format_ipv4(n[0].first_client()) == "10.8.0.2");
        CHECK(format_ipv4(n[0].last_client()) == "10.8.0.254");
        CHECK(n[0].client_count() == 253);
    }
    SUBCASE("client counts the seed's README lists")
    {
        CHECK(parse_network_spec("10.0.0.0/25")[0].client_count() == 125);
        CHECK(parse_network_spec("10.0.0.0/26")[0].client_count() == 61);
        CHECK(parse_network_spec("10.0.0.0/29")[0].client_count() == 5);
        CHECK(parse_network_spec("10.0.0.0/30")[0].client_count() == 1);
    }
    SUBCASE("a /30 at .12 has its client at .14 (the seed writes -s 0.0.0.0 there)")
    {
        auto n = parse_network_spec("10.0.0.12/30");
        CHECK(format_ipv4(n[0].first_client()) == "10.0.0.14");
        CHECK(n[0].client_count() == 1);
    }
    SUBCASE("CIDR:N splits into N equal networks in address order")
    {
        auto n = parse_network_spec("10.8.0.0/24:4");
        REQUIRE(n.size() == 4);
        CHECK(n[0].cidr() == "10.8.0.0/26");
        CHECK(n[1].cidr() == "10.8.0.64/26");
        CHECK(n[3].cidr() == "10.8.0.192/26");
        CHECK(format_ipv4(n[1].first_client()) == "10.8.0.66");
        CHECK(parse_network_spec("10.0.0.0/28:4").back().cidr() == "10.0.0.12/30");
        CHECK(parse_network_spec("10.0.0.0/24:1").size() == 1);
    }
    SUBCASE("refusals")
    {
        CHECK_THROWS_WITH_AS(parse_network_spec("10.0.0.0/24:3"), "network \"10.0.0.0/24:3\": N = 3 is not a power of two",
                             UsageError);
        CHECK_THROWS_WITH_AS(parse_network_spec("10.0.0.0/28:8"),
                             "network \"10.0.0.0/28:8\": split into 8 parts of fewer than 4 addresses each", UsageError);
        CHECK_THROWS_WITH_AS(parse_network_spec("10.0.0.0/31"),
                             "network \"10.0.0.0/31\": a client network needs at least 4 addresses (/30 or larger)",
                             UsageError);
        CHECK_THROWS_WITH_AS(parse_network_spec("10.0.0.5/24"),
                             "network \"10.0.0.5/24\": host bits are set; the network is 10.0.0.0/24", UsageError);
        CHECK_THROWS_AS(parse_network_spec("10.0.0.0"), UsageError);
        CHECK_THROWS_AS(parse_network_spec("10.0.0.0/33"), UsageError);
        CHECK_THROWS_AS(parse_network_spec("10.0.0.0/24:"), UsageError);
        CHECK_THROWS_AS(parse_network_spec("10.0.0.0/24:0"), UsageError);
        CHECK_THROWS_AS(parse_network_spec("10.0.0.0/24:x"), UsageError);
        CHECK_THROWS_AS(parse_network_spec("example.org/24"), UsageError);
    }
}

TEST_CASE("is_nat_private")
{
    auto priv = [](const char* spec) { return is_nat_private(parse_network_spec(spec)[0]); };
    CHECK(priv("10.0.0.0/8"));
    CHECK(priv("172.16.0.0/12"));
    CHECK(priv("172.31.255.0/24"));
    CHECK_FALSE(priv("172.32.0.0/24"));
    CHECK_FALSE(priv("172.15.0.0/24"));
    CHECK(priv("192.168.7.0/29"));
    CHECK_FALSE(priv("192.169.0.0/24"));
    CHECK(priv("100.64.0.0/10"));
    SUBCASE("the ranges the seed's string-prefix test gets wrong")
    {
        CHECK(priv("100.120.0.0/24")); // shared address space: the seed gives it no rules
        CHECK(priv("100.127.255.0/24"));
        CHECK_FALSE(priv("100.7.0.0/24")); // public: the seed NATs it
        CHECK_FALSE(priv("100.9.0.0/24"));
        CHECK_FALSE(priv("100.128.0.0/24"));
    }
    CHECK_FALSE(priv("10.0.0.0/7")); // only partly private
    CHECK_FALSE(priv("192.0.2.0/24"));
}
