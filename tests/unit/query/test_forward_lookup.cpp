#include "index_fixture.hpp"
#include "query/forward_lookup.hpp"
#include "query/packed_history.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

const char* k_head = "*nat\n:POSTROUTING ACCEPT [0:0]\n";

std::string block(const std::string& source, const std::string& ports)
{
    return "-A POSTROUTING -s " + source + " -p tcp -j SNAT --to-source 192.0.2.1:" + ports + "\n";
}

} // namespace

TEST_CASE("forward_lookup")
{
    test::IndexFixture f;
    // 10.0.0.2 keeps its block across the first two snapshots, then moves; 10.0.0.9 only shares a /29.
    f.snapshot("n", 1600000000, std::string(k_head) + block("10.0.0.2", "65280-65535") + "COMMIT\n");
    f.snapshot("n", 1600001000, std::string(k_head) + block("10.0.0.3", "65024-65279") +
                                    block("10.0.0.2", "65280-65535") + "COMMIT\n");
    f.snapshot("n", 1600002000, std::string(k_head) + block("10.0.0.2", "1024-2047") +
                                    block("10.0.0.8/29", "3000-3999") + "COMMIT\n");
    REQUIRE(f.index({"n"}).indexed == 3);
    SqlHistory history(f.db());

    SUBCASE("consecutive snapshots with the same mapping are one period")
    {
        ForwardQuery q;
        q.address = *parse_ipv4("10.0.0.2");
        auto periods = forward_lookup(history, q);
        REQUIRE(periods.size() == 2);
        CHECK(periods[0].ports == PortRange{65280, 65535});
        CHECK(periods[0].valid_from == 1600000000);
        CHECK(periods[0].valid_to == 1600002000);
        CHECK(periods[0].snapshots == 2);
        CHECK(periods[0].first_line == 3);
        CHECK(periods[0].last.valid_from == 1600001000);
        CHECK_FALSE(periods[0].shared);
        CHECK(periods[1].ports == PortRange{1024, 2047});
        CHECK(periods[1].valid_from == 1600002000);
        CHECK_FALSE(periods[1].valid_to);
        CHECK(periods[1].proto == "tcp");
    }
    SUBCASE("a shared rule says so")
    {
        ForwardQuery q;
        q.address = *parse_ipv4("10.0.0.9");
        auto periods = forward_lookup(history, q);
        REQUIRE(periods.size() == 1);
        CHECK(periods[0].shared);
        CHECK(periods[0].source == "10.0.0.8/29");
    }
    SUBCASE("--from and --until keep the periods overlapping them")
    {
        ForwardQuery q;
        q.address = *parse_ipv4("10.0.0.2");
        q.from = 1600002500;
        auto periods = forward_lookup(history, q);
        REQUIRE(periods.size() == 1);
        CHECK(periods[0].ports == PortRange{1024, 2047});
        q.from.reset();
        q.until = 1600000500;
        periods = forward_lookup(history, q);
        REQUIRE(periods.size() == 1);
        CHECK(periods[0].ports == PortRange{65280, 65535});
    }
    SUBCASE("an address no rule names has no period")
    {
        ForwardQuery q;
        q.address = *parse_ipv4("10.0.0.200");
        CHECK(forward_lookup(history, q).empty());
    }
    SUBCASE("an unknown node is a usage error naming the known ones")
    {
        ForwardQuery q;
        q.address = *parse_ipv4("10.0.0.2");
        q.node = "nope";
        CHECK_THROWS_WITH_AS(forward_lookup(history, q), "unknown node \"nope\"; the index has: n", UsageError);
    }
    SUBCASE("the batch history gives the same periods")
    {
        PackedHistory packed(f.db());
        for (const char* address : {"10.0.0.2", "10.0.0.9", "10.0.0.3"}) {
            ForwardQuery q;
            q.address = *parse_ipv4(address);
            auto a = forward_lookup(history, q), b = forward_lookup(packed, q);
            REQUIRE(a.size() == b.size());
            for (std::size_t i = 0; i < a.size(); ++i) {
                CHECK(a[i].ports == b[i].ports);
                CHECK(a[i].valid_from == b[i].valid_from);
                CHECK(a[i].valid_to == b[i].valid_to);
                CHECK(a[i].source == b[i].source);
            }
        }
    }
}
