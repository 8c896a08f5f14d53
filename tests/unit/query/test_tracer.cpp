#include "index_fixture.hpp"

#include "util/errors.hpp"

#include <doctest/doctest.h>

using namespace natfw;
using test::IndexFixture;
using test::internals;
using test::nat_table;

namespace {

std::string host_rules(const std::string& src, const std::string& pub, const std::string& ports)
{
    return "-A POSTROUTING -s " + src + " -p tcp -j SNAT --to-source " + pub + ":" + ports + "\n" +
           "-A POSTROUTING -s " + src + " -p udp -j SNAT --to-source " + pub + ":" + ports + "\n";
}

// Two snapshots of node "vpn": at 1000000000 .2 has the upper block, at
// 1000086400 the blocks are handed out the other way round.
void two_snapshots(IndexFixture& f)
{
    f.snapshot("vpn", 1000000000,
               nat_table(host_rules("10.0.0.2", "192.0.2.1", "65280-65535") +
                         host_rules("10.0.0.3", "192.0.2.1", "65024-65279")));
    f.snapshot("vpn", 1000086400,
               nat_table(host_rules("10.0.0.3", "192.0.2.1", "65280-65535") +
                         host_rules("10.0.0.2", "192.0.2.1", "65024-65279")));
    REQUIRE(f.index({"vpn"}).indexed == 2);
}

} // namespace

TEST_CASE("Tracer::lookup picks the snapshot in force")
{
    IndexFixture f;
    two_snapshots(f);
    SUBCASE("inside the first period")
    {
        auto a = f.lookup("@1000040000", "192.0.2.1", "65300");
        CHECK(a.status == Status::unique);
        CHECK(a.internal() == "10.0.0.2");
        CHECK(internals(a) == std::vector<std::string>{"10.0.0.2/tcp", "10.0.0.2/udp"});
        const Candidate& c = a.candidates[0];
        CHECK(c.snapshot->node == "vpn");
        CHECK(c.snapshot->path == (f.dir().path() / "vpn/rules.v4.1000000000").string());
        CHECK(c.snapshot->valid_from == 1000000000);
        CHECK(c.valid_to == 1000086400);
        CHECK(c.line == 6);
        CHECK(c.rule == "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535");
        CHECK(c.ports == PortRange{65280, 65535});
        CHECK(c.snapshot->sha256.size() == 64);
        CHECK(a.warnings.empty());
    }
    SUBCASE("at the second snapshot's own timestamp the new ruleset answers")
    {
        auto a = f.lookup("@1000086400", "192.0.2.1", "65300");
        CHECK(a.internal() == "10.0.0.3");
        CHECK_FALSE(a.candidates[0].valid_to);
        auto before = f.lookup("@1000086399", "192.0.2.1", "65300");
        CHECK(before.internal() == "10.0.0.2");
    }
    SUBCASE("before the first snapshot: none, saying where the history starts")
    {
        auto a = f.lookup("@999999999", "192.0.2.1", "65300");
        CHECK(a.status == Status::none);
        CHECK(a.reason.find("node vpn: its history starts at 2001-09-09T01:46:40Z") != std::string::npos);
    }
    SUBCASE("an unknown public address and a port outside every block are told apart")
    {
        auto unknown = f.lookup("@1000040000", "192.0.2.9", "65300");
        CHECK(unknown.status == Status::none);
        CHECK(unknown.reason.find("does not map 192.0.2.9") != std::string::npos);
        auto outside = f.lookup("@1000040000", "192.0.2.1", "1024");
        CHECK(outside.status == Status::none);
        CHECK(outside.reason.find("maps 192.0.2.1 but no tcp or udp port block holds port 1024") != std::string::npos);
    }
    SUBCASE("a change within 300 s that moves the port warns, without changing the status")
    {
        auto a = f.lookup("@1000086300", "192.0.2.1", "65300");
        CHECK(a.status == Status::unique);
        CHECK(a.internal() == "10.0.0.2");
        REQUIRE(a.warnings.size() == 1);
        CHECK(a.warnings[0].find("changed at 2001-09-10T01:46:40Z (100 s after the instant)") != std::string::npos);
        CHECK(a.warnings[0].find("to 10.0.0.3 (at the instant: 10.0.0.2)") != std::string::npos);
        auto after = f.lookup("@1000086700", "192.0.2.1", "65300");
        CHECK(after.internal() == "10.0.0.3");
        REQUIRE(after.warnings.size() == 1);
        CHECK(after.warnings[0].find("300 s before the instant") != std::string::npos);
        auto far = f.lookup("@1000086701", "192.0.2.1", "65300");
        CHECK(far.warnings.empty());
    }
}

TEST_CASE("Tracer::lookup is ambiguous where the evidence does not single out one address")
{
    IndexFixture f;
    SUBCASE("a subnet rule")
    {
        f.snapshot("vpn", 1000000000, nat_table("-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-65535\n"));
        f.index({"vpn"});
        auto a = f.lookup("@1000000001", "192.0.2.1", "5000", "tcp");
        CHECK(a.status == Status::ambiguous);
        CHECK(internals(a) == std::vector<std::string>{"10.0.0.0/24/tcp"});
        CHECK(a.reason == "the rule's source 10.0.0.0/24 covers more than one address");
        CHECK_FALSE(a.internal());
    }
    SUBCASE("several rules cover the port")
    {
        f.snapshot("vpn", 1000000000,
                   nat_table("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
                             "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:1500-2500\n"));
        f.index({"vpn"});
        CHECK(f.lookup("@1000000001", "192.0.2.1", "1499").internal() == "10.0.0.2");
        auto a = f.lookup("@1000000001", "192.0.2.1", "1500");
        CHECK(a.status == Status::ambiguous);
        CHECK(internals(a) == std::vector<std::string>{"10.0.0.2/tcp", "10.0.0.3/tcp"});
        CHECK(f.lookup("@1000000001", "192.0.2.1", "2001").internal() == "10.0.0.3");
    }
    SUBCASE("tcp and udp disagree and no --proto is given")
    {
        f.snapshot("vpn", 1000000000,
                   nat_table("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
                             "-A POSTROUTING -s 10.0.0.3 -p udp -j SNAT --to-source 192.0.2.1:1000-2000\n"));
        f.index({"vpn"});
        auto a = f.lookup("@1000000001", "192.0.2.1", "1500");
        CHECK(a.status == Status::ambiguous);
        CHECK(a.reason.find("tcp and udp rules differ; give --proto") != std::string::npos);
        CHECK(f.lookup("@1000000001", "192.0.2.1", "1500", "udp").internal() == "10.0.0.3");
        CHECK(f.lookup("@1000000001", "192.0.2.1", "1500", "tcp").internal() == "10.0.0.2");
    }
    SUBCASE("the same public address in two nodes at once")
    {
        f.snapshot("a", 1000000000, nat_table(host_rules("10.0.0.2", "192.0.2.1", "1000-2000")));
        f.snapshot("b", 1000000500, nat_table(host_rules("10.1.0.2", "192.0.2.1", "1000-2000")));
        f.index({"a", "b"});
        CHECK(f.lookup("@1000000001", "192.0.2.1", "1500").internal() == "10.0.0.2");
        auto a = f.lookup("@1000001000", "192.0.2.1", "1500", "tcp");
        CHECK(a.status == Status::ambiguous);
        REQUIRE(a.candidates.size() == 2);
        CHECK(a.candidates[0].snapshot->node == "a");
        CHECK(a.candidates[1].snapshot->node == "b");
    }
    SUBCASE("a DST-overlap time whose two instants differ")
    {
        // Europe/Amsterdam 2020-10-25 02:30 is 00:30Z and 01:30Z; a new ruleset at 01:00Z.
        f.snapshot("vpn", 1603580000, nat_table(host_rules("10.0.0.2", "192.0.2.1", "1000-2000")));
        f.snapshot("vpn", 1603587600, nat_table(host_rules("10.0.0.3", "192.0.2.1", "1000-2000")));
        f.index({"vpn"});
        auto a = f.lookup("2020-10-25 02:30:00", "192.0.2.1", "1500", "tcp", "Europe/Amsterdam");
        CHECK(f.last_query().instants.size() == 2);
        CHECK(a.status == Status::ambiguous);
        CHECK(internals(a) == std::vector<std::string>{"10.0.0.2/tcp", "10.0.0.3/tcp"});
        CHECK(a.reason.find("DST overlap") != std::string::npos);
    }
}

TEST_CASE("Tracer::lookup never offers MASQUERADE as a candidate")
{
    IndexFixture f;
    f.snapshot("vpn", 1000000000,
               nat_table("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
                         "-A POSTROUTING -s 10.9.0.0/16 -j MASQUERADE\n"));
    f.index({"vpn"});
    auto a = f.lookup("@1000000001", "192.0.2.1", "1500", "tcp");
    CHECK(a.status == Status::unique);
    CHECK(a.internal() == "10.0.0.2");
    REQUIRE(a.warnings.size() == 1);
    CHECK(a.warnings[0].find(":7: MASQUERADE for 10.9.0.0/16 could also have produced tcp port 1500 if node vpn's "
                             "address was 192.0.2.1") != std::string::npos);
    auto other = f.lookup("@1000000001", "198.51.100.7", "80", "tcp");
    CHECK(other.status == Status::none);
    CHECK(test::any_warning_contains(other, "MASQUERADE"));
}

TEST_CASE("Tracer::lookup answers an unusable snapshot's period from the one before it")
{
    IndexFixture f;
    f.snapshot("vpn", 1000000000, nat_table(host_rules("10.0.0.2", "192.0.2.1", "1000-2000")));
    f.snapshot("vpn", 1000100000,
               nat_table("-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:65536-65535\n"));
    auto sum = f.index({"vpn"});
    CHECK(sum.indexed == 2);
    CHECK(sum.unusable == 1);
    CHECK(sum.clean());
    auto a = f.lookup("@1000200000", "192.0.2.1", "1500", "tcp");
    CHECK(a.status == Status::unique);
    CHECK(a.internal() == "10.0.0.2");
    CHECK_FALSE(a.candidates[0].valid_to); // the unusable file never ended its period
    REQUIRE(a.warnings.size() == 1);
    CHECK(a.warnings[0].find("rules.v4.1000100000 (dated 2001-09-10T05:33:20Z) is unusable: "
                             "line 6: port 65536 is outside 1-65535") != std::string::npos);
    SUBCASE("an unusable first snapshot leaves nothing to answer from")
    {
        IndexFixture g;
        g.snapshot("vpn", 1000000000, "");
        g.index({"vpn"});
        auto b = g.lookup("@1000000001", "192.0.2.1", "1500");
        CHECK(b.status == Status::none);
        CHECK(test::any_warning_contains(b, "is unusable: line 0: the file is empty"));
    }
}

TEST_CASE("Tracer::lookup with --node")
{
    IndexFixture f;
    f.snapshot("a", 1000000000, nat_table(host_rules("10.0.0.2", "192.0.2.1", "1000-2000")));
    f.index({"a"});
    SqlHistory history(f.db());
    Tracer tracer(history);
    Query q = make_query({"@1000000001", "192.0.2.1", "1500"}, "", "nope", TimeParser("UTC"));
    CHECK_THROWS_WITH_AS(tracer.lookup(q), "unknown node \"nope\"; the index has: a", UsageError);
    q.node = "a";
    CHECK(tracer.lookup(q).status == Status::unique);
}

TEST_CASE("Tracer::lookup with a time window (--skew, --flow-age)")
{
    IndexFixture f;
    two_snapshots(f); // port 65300: 10.0.0.2 until 1000086400, then 10.0.0.3
    SUBCASE("a window inside one period changes nothing")
    {
        auto a = f.lookup_window("@1000040000", "192.0.2.1", "65300", "tcp", 600, 0);
        CHECK(a.status == Status::unique);
        CHECK(a.internal() == "10.0.0.2");
    }
    SUBCASE("--skew reaching over a change: both rulesets' addresses, each with its period")
    {
        auto a = f.lookup_window("@1000086300", "192.0.2.1", "65300", "tcp", 120, 0);
        CHECK(a.status == Status::ambiguous);
        REQUIRE(a.candidates.size() == 2);
        CHECK(a.candidates[0].internal == "10.0.0.2");
        CHECK(a.candidates[0].snapshot->valid_from == 1000000000);
        CHECK(a.candidates[0].valid_to == 1000086400);
        CHECK(a.candidates[1].internal == "10.0.0.3");
        CHECK(a.candidates[1].snapshot->valid_from == 1000086400);
        CHECK_FALSE(a.candidates[1].valid_to);
        CHECK(a.reason.find("2 rulesets were in force in the window") != std::string::npos);
        CHECK(a.warnings.empty()); // the window replaces the 300 s warning
    }
    SUBCASE("--flow-age looks back only: a flow started under the older ruleset")
    {
        auto later = f.lookup_window("@1000090000", "192.0.2.1", "65300", "tcp", 0, 5 * 86400);
        CHECK(later.status == Status::ambiguous);
        CHECK(internals(later) == std::vector<std::string>{"10.0.0.2/tcp", "10.0.0.3/tcp"});
        auto before_change = f.lookup_window("@1000080000", "192.0.2.1", "65300", "tcp", 0, 5 * 86400);
        CHECK(before_change.status == Status::unique); // flow age never looks forward
        CHECK(before_change.internal() == "10.0.0.2");
    }
    SUBCASE("a window that starts before the history answers from the snapshots inside it")
    {
        auto a = f.lookup_window("@999999990", "192.0.2.1", "65300", "tcp", 60, 0);
        CHECK(a.status == Status::unique);
        CHECK(a.internal() == "10.0.0.2");
        auto none = f.lookup_window("@999999000", "192.0.2.1", "65300", "tcp", 60, 0);
        CHECK(none.status == Status::none);
        CHECK(none.reason.find("from 2001-09-09T01:29:00Z to 2001-09-09T01:31:00Z") != std::string::npos);
    }
    SUBCASE("the same address in every ruleset of the window stays unique")
    {
        auto a = f.lookup_window("@1000086300", "192.0.2.1", "1", "tcp", 600, 0); // no block anywhere
        CHECK(a.status == Status::none);
        IndexFixture g;
        g.snapshot("vpn", 1000000000, nat_table(host_rules("10.0.0.2", "192.0.2.1", "65280-65535")));
        g.snapshot("vpn", 1000086400,
                   nat_table(host_rules("10.0.0.2", "192.0.2.1", "65280-65535") +
                             host_rules("10.0.0.3", "192.0.2.1", "65024-65279")));
        REQUIRE(g.index({"vpn"}).indexed == 2);
        auto b = g.lookup_window("@1000086300", "192.0.2.1", "65300", "tcp", 600, 0);
        CHECK(b.status == Status::unique);
        CHECK(b.candidates.size() == 2); // one per ruleset, as evidence
    }
}
