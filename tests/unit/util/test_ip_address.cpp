#include "util/ip_address.hpp"

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
