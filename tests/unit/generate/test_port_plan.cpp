#include "util/errors.hpp"
#include "generate/port_plan.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <fstream>

using namespace natfw;

namespace {

/// Blocks are disjoint, equal, inside 1281-65535, outside `avoid`, and handed out downward.
void check_blocks(const PortPlan& plan, std::optional<PortRange> avoid = std::nullopt)
{
    for (std::size_t i = 0; i < plan.blocks.size(); ++i) {
        const auto& b = plan.blocks[i];
        CHECK(b.lo >= 1281);
        CHECK(b.hi - b.lo + 1u == plan.ports_per_client);
        if (avoid)
            CHECK((b.hi < avoid->lo || b.lo > avoid->hi));
        if (i > 0)
            CHECK(b.hi < plan.blocks[i - 1].lo);
    }
}

} // namespace

TEST_CASE("plan_ports")
{
    SUBCASE("the largest power of two strictly below 64255 / clients, downward from 65535")
    {
        auto p = plan_ports(253); // 64255 / 253 = 253.97 -> 128
        CHECK(p.ports_per_client == 128);
        REQUIRE(p.blocks.size() == 253);
        CHECK(p.blocks[0] == PortRange{65408, 65535});
        CHECK(p.blocks[1] == PortRange{65280, 65407});
        CHECK(p.blocks.back() == PortRange{33152, 33279});
        check_blocks(p);
        CHECK(plan_ports(250).ports_per_client == 256); // 257.02 -> 256
        CHECK(plan_ports(1).ports_per_client == 32768);
        CHECK(plan_ports(1).blocks[0] == PortRange{32768, 65535});
    }
    SUBCASE("an exact power of two is halved, as the seed does")
    {
        CHECK(plan_ports(32127).ports_per_client == 1); // 64255 / 32127 = 2.00003 -> 2 -> 1
        CHECK(plan_ports(16063).ports_per_client == 2); // 4.0002 -> 4 -> 2
    }
    SUBCASE("the most clients that fit: the lowest port stays above 1280")
    {
        auto p = plan_ports(32127);
        CHECK(p.blocks.back() == PortRange{33409, 33409});
        check_blocks(p);
    }
    SUBCASE("too many clients is a refusal, not a file of 65536-65535 blocks")
    {
        CHECK_THROWS_WITH_AS(plan_ports(32128),
                             "32128 client addresses do not fit into 64255 public ports (1281-65535): every client "
                             "needs a block of at least one port; use fewer or smaller client networks",
                             Error);
        CHECK_THROWS_AS(plan_ports(65533), Error);
        CHECK_THROWS_AS(plan_ports(0), Error);
    }
    SUBCASE("kept out of the ephemeral range: blocks skip over it")
    {
        PortRange eph{32768, 60999};
        auto p = plan_ports(253, eph); // (4536 + 31487) / 253 = 142.4 -> 128
        CHECK(p.ports_per_client == 128);
        CHECK(p.blocks[0] == PortRange{65408, 65535});
        CHECK(p.blocks[34] == PortRange{61056, 61183}); // the last of 35 above the range
        CHECK(p.blocks[35] == PortRange{32640, 32767}); // then straight below it
        check_blocks(p, eph);
    }
    SUBCASE("blocks halve until they fit into the pieces left around the range")
    {
        PortRange avoid{1381, 65435}; // leaves 65436-65535 and 1281-1380, 100 ports each
        auto p = plan_ports(1, avoid);  // 200 -> 128 does not fit a 100-port piece -> 64
        CHECK(p.ports_per_client == 64);
        CHECK(p.blocks[0] == PortRange{65472, 65535});
        auto q = plan_ports(3, avoid); // 66 -> 64: one per piece only -> 32
        CHECK(q.ports_per_client == 32);
        CHECK(q.blocks[2] == PortRange{65440, 65471});
        check_blocks(q, avoid);
        CHECK(plan_ports(100, avoid).ports_per_client == 1); // 2 -> 1
        CHECK_THROWS_AS(plan_ports(101, avoid), Error);      // 1 -> 0
    }
}

TEST_CASE("parse_port_range_text")
{
    CHECK(parse_port_range_text("32768\t60999\n", "sysctl") == PortRange{32768, 60999});
    CHECK(parse_port_range_text("1024-2047", "--ephemeral-range") == PortRange{1024, 2047});
    CHECK(parse_port_range_text("1 65535", "x") == PortRange{1, 65535});
    CHECK_THROWS_WITH_AS(parse_port_range_text("5000-4000", "--ephemeral-range"),
                         "--ephemeral-range: \"5000-4000\" is not a port range LO-HI within 1-65535", UsageError);
    CHECK_THROWS_AS(parse_port_range_text("0 100", "x"), UsageError);
    CHECK_THROWS_AS(parse_port_range_text("100 65536", "x"), UsageError);
    CHECK_THROWS_AS(parse_port_range_text("32768", "x"), UsageError);
    CHECK_THROWS_AS(parse_port_range_text("", "x"), UsageError);
    CHECK_THROWS_AS(parse_port_range_text("a-b", "x"), UsageError);
}

TEST_CASE("read_local_port_range")
{
    test::TempDir dir;
    CHECK(read_local_port_range(dir.write("ip_local_port_range", "32768\t60999\n")) == PortRange{32768, 60999});
    CHECK_THROWS_AS(read_local_port_range(dir.write("bad", "60999\t32768\n")), UsageError);
    CHECK_THROWS_AS(read_local_port_range(dir.path() / "missing"), FileError);
    SUBCASE("this machine's range, as --avoid-ephemeral reads it")
    {
        // The kernel's file read by a plain stream must give the same two numbers.
        std::ifstream proc("/proc/sys/net/ipv4/ip_local_port_range");
        unsigned lo = 0, hi = 0;
        proc >> lo >> hi;
        REQUIRE(proc);
        auto r = read_local_port_range();
        CHECK(r.lo == lo);
        CHECK(r.hi == hi);
    }
}
