#include "batch/batch_columns.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("find_columns")
{
    SUBCASE("Shadowserver names")
    {
        std::vector<std::string> h{"timestamp", "ip", "protocol", "port", "hostname"};
        auto c = find_columns(h, {});
        CHECK(c.time == 0);
        CHECK(c.ip == 1);
        CHECK(c.port == 3);
        CHECK(c.proto == 2u);
        CHECK(c.describe(h) == "time=timestamp ip=ip port=port protocol=protocol");
    }
    SUBCASE("names that say source win over generic ones")
    {
        // An X-ARF-style export: `Port` is the attacked service, not the source port.
        std::vector<std::string> h{"Date", "Source-IP", "Source-Port", "Destination-Port", "Port"};
        auto c = find_columns(h, {});
        CHECK(c.port == 2);
        CHECK(c.ip == 1);
        CHECK(c.describe(h) == "time=Date ip=Source-IP port=Source-Port protocol=(none: both tcp and udp)");
        auto s = find_columns({"timestamp", "ip", "port", "src_ip", "src_port"}, {});
        CHECK(s.ip == 3);
        CHECK(s.port == 4);
        auto x = find_columns({"first_seen", "source_identifier", "sport"}, {});
        CHECK(x.time == 0);
        CHECK(x.ip == 1);
        CHECK(x.port == 2);
    }
    SUBCASE("X-ARF names, any case, with dashes and blanks")
    {
        std::vector<std::string> h{"Source-IP", "Source-Port", " Date "};
        auto c = find_columns(h, {});
        CHECK(c.time == 2);
        CHECK(c.ip == 0);
        CHECK(c.port == 1);
        CHECK_FALSE(c.proto);
        CHECK(c.describe(h) == "time= Date  ip=Source-IP port=Source-Port protocol=(none: both tcp and udp)");
    }
    SUBCASE("the first alias present wins")
    {
        auto c = find_columns({"date", "reported_at", "SRC_IP", "source_ip", "source_port", "src_port", "PROTO"}, {});
        CHECK(c.time == 1);
        CHECK(c.ip == 2);
        CHECK(c.port == 5); // src_port before source_port
        CHECK(c.proto == 6u);
    }
    SUBCASE("explicit names")
    {
        ColumnNames n{"When", "Addr", "SPort", "L4"};
        auto c = find_columns({"addr", "when", "l4", "sport", "time"}, n);
        CHECK(c.time == 1);
        CHECK(c.ip == 0);
        CHECK(c.port == 3);
        CHECK(c.proto == 2u);
        CHECK_THROWS_WITH_AS(find_columns({"a"}, ColumnNames{"nope", "", "", ""}),
                             "the CSV header has no column \"nope\" (for the time); it has: a", UsageError);
    }
    SUBCASE("a missing column is named")
    {
        CHECK_THROWS_WITH_AS(find_columns({"time", "ip"}, {}),
                             "the CSV header names no port column (looked for src_port, source_port, sport, port; name "
                             "it with --port-col); it has: time, ip",
                             UsageError);
    }
}
