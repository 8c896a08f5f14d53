#include "util/ip_address.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("canonical_address: both families, RFC 5952 form, mapped IPv4 as IPv4")
{
    CHECK(canonical_address("10.66.0.7") == "10.66.0.7");
    CHECK(canonical_address("FD00:0:0:0::0001") == "fd00::1");
    CHECK(canonical_address("2001:db8:0:0:1:0:0:1") == "2001:db8::1:0:0:1");
    CHECK(canonical_address("::ffff:192.0.2.10") == "192.0.2.10");
    CHECK(canonical_address("::1") == "::1");
    CHECK_FALSE(canonical_address(""));
    CHECK_FALSE(canonical_address("10.66.0"));
    CHECK_FALSE(canonical_address("010.66.0.7x"));
    CHECK_FALSE(canonical_address("fd00::1/64"));
    CHECK_FALSE(canonical_address(std::string(100, '1')));
    // The IPv4 text is returned as written: only the canonical form reads.
    CHECK_FALSE(canonical_address("010.66.0.7"));
    CHECK_FALSE(canonical_address("10.66.00.7"));
    CHECK_FALSE(canonical_address(" 10.66.0.7"));
    CHECK_FALSE(canonical_address("10.66.0.7 "));
    CHECK_FALSE(canonical_address("10.66.0.256"));
    CHECK(canonical_address("0.0.0.0") == "0.0.0.0");
    CHECK(canonical_address("255.255.255.255") == "255.255.255.255");
    CHECK(is_ipv6_text("fd00::1"));
    CHECK_FALSE(is_ipv6_text("10.0.0.1"));
}

TEST_CASE("is_ipv6_local")
{
    CHECK(is_ipv6_local("fd66::2"));
    CHECK(is_ipv6_local("fc00::1"));
    CHECK(is_ipv6_local("fe80::1"));
    CHECK(is_ipv6_local("febf::1"));
    CHECK_FALSE(is_ipv6_local("fec0::1"));
    CHECK_FALSE(is_ipv6_local("2001:db8::1"));
    CHECK_FALSE(is_ipv6_local("fe8::1")); // 0fe8::, not fe80::
    CHECK_FALSE(is_ipv6_local("10.0.0.1"));
    CHECK_FALSE(is_ipv6_local("nonsense"));
}

TEST_CASE("CanonicalAddresses: the answers of canonical_address, again and after it starts over")
{
    CanonicalAddresses cached;
    const std::vector<std::string> texts{"10.66.0.7", "FD00:0:0:0::0001", "::ffff:192.0.2.10", "", "10.66.0",
                                         "fd00::1/64", "2001:DB8::0:1"};
    for (int round = 0; round < 2; ++round)
        for (const auto& t : texts)
            CHECK(cached(t) == canonical_address(t));
    // More distinct texts than it keeps: it starts over and still answers right.
    for (unsigned i = 0; i < 70'000; ++i) {
        auto text = fmt::format("fd00::{:x}:{:04X}", i >> 16, i & 0xFFFF);
        REQUIRE(cached(text) == canonical_address(text));
    }
    CHECK(cached("FD00:0:0:0::0001") == "fd00::1");
}
