#include "util/number.hpp"
#include "util/port.hpp"

#include <doctest/doctest.h>

#include <cstdint>
#include <string>

using namespace natfw;

TEST_CASE("parse_decimal")
{
    SUBCASE("digits within the bounds")
    {
        CHECK(parse_decimal(std::string_view("0"), 0, 32) == 0);
        CHECK(parse_decimal(std::string_view("32"), 0, 32) == 32);
        CHECK(parse_decimal<std::int64_t>("1608986262", 0, INT64_MAX) == 1608986262);
    }
    SUBCASE("outside the bounds, or overflowing the type")
    {
        CHECK_FALSE(parse_decimal(std::string_view("33"), 0, 32));
        CHECK_FALSE(parse_decimal(std::string_view("0"), 1, 32));
        CHECK_FALSE(parse_decimal<std::uint16_t>("65536", 0, 65535));
        CHECK_FALSE(parse_decimal<std::int64_t>("99999999999999999999", 0, INT64_MAX));
    }
    SUBCASE("anything but digits")
    {
        for (const char* bad : {"", "-1", "+1", " 1", "1 ", "1a", "0x10", "1.5"})
            CHECK_FALSE(parse_decimal(std::string_view(bad), -100, 100));
    }
}

TEST_CASE("parse_port")
{
    std::string why;
    SUBCASE("boundaries of 1-65535")
    {
        CHECK(parse_port("1", why) == 1);
        CHECK(parse_port("65535", why) == 65535);
        CHECK_FALSE(parse_port("0", why));
        CHECK(why == "port 0 is outside 1-65535");
        CHECK_FALSE(parse_port("65536", why));
        CHECK(why == "port 65536 is outside 1-65535");
        CHECK_FALSE(parse_port("99999999999999999999999", why));
        CHECK(why == "port \"99999999999999999999999\" is not a number");
    }
    SUBCASE("a match may name port 0")
    {
        CHECK(parse_port("0", why, 0) == 0);
    }
    SUBCASE("not a number")
    {
        CHECK_FALSE(parse_port("http", why));
        CHECK(why == "port \"http\" is not a number");
        CHECK_FALSE(parse_port("", why));
        CHECK(why == "port \"\" is not a number");
        CHECK_FALSE(parse_port("65300/tcp", why));
    }
}

TEST_CASE("parse_port_range")
{
    std::string why;
    SUBCASE("one port, or two joined by - or :")
    {
        CHECK(parse_port_range("80", why) == PortRange{80, 80});
        CHECK(parse_port_range("65280-65535", why) == PortRange{65280, 65535});
        CHECK(parse_port_range("1024:2047", why) == PortRange{1024, 2047});
        CHECK(parse_port_range("7-7", why) == PortRange{7, 7});
    }
    SUBCASE("inverted")
    {
        CHECK_FALSE(parse_port_range("65535-65280", why));
        CHECK(why == "port range 65535-65280 is inverted");
    }
    SUBCASE("a bad end names that end")
    {
        CHECK_FALSE(parse_port_range("1-65536", why));
        CHECK(why == "port 65536 is outside 1-65535");
        CHECK_FALSE(parse_port_range("0-10", why));
        CHECK(why == "port 0 is outside 1-65535");
        CHECK_FALSE(parse_port_range("1-", why));
        CHECK(why == "port \"\" is not a number");
    }
    SUBCASE("separators are the caller's")
    {
        CHECK_FALSE(parse_port_range("1:2", why, "-"));
        CHECK(parse_port_range("0:1023", why, "-:", 0) == PortRange{0, 1023});
    }
}
