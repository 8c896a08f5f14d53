#include "batch/complaint_answerer.hpp"
#include "index_fixture.hpp"
#include "query/packed_history.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>

using namespace natfw;
using test::IndexFixture;
using test::nat_table;

namespace {

std::string host(const std::string& src, const std::string& ports)
{
    return "-A POSTROUTING -s " + src + " -p tcp -j SNAT --to-source 192.0.2.1:" + ports + "\n" +
           "-A POSTROUTING -s " + src + " -p udp -j SNAT --to-source 192.0.2.1:" + ports + "\n";
}

} // namespace

TEST_CASE("ComplaintAnswerer: XARF's first_seen and last_seen, and protocols that name no transport")
{
    IndexFixture f;
    // 65300 is 10.0.0.2's until 1000003600 (2001-09-09T02:46:40Z), then 10.0.0.3's.
    f.snapshot("vpn", 1000000000, nat_table(host("10.0.0.2", "65280-65535") + host("10.0.0.3", "65024-65279")));
    f.snapshot("vpn", 1000003600, nat_table(host("10.0.0.3", "65280-65535") + host("10.0.0.2", "65024-65279")));
    f.index({"vpn"});
    PackedHistory history(f.db());
    BatchOptions options;
    ComplaintAnswerer answerer(history, TimeParser("UTC"), options, nullptr);
    Query q;
    Answer a;
    Complaint c;
    c.address = "192.0.2.1";
    c.port = "65300";
    c.proto = "tcp";
    c.time = "@1000004000"; // after the change

    SUBCASE("no window: the ruleset in force at the time")
    {
        answerer.answer(c, q, a);
        CHECK(a.status == Status::unique);
        CHECK(*a.internal() == "10.0.0.3");
        CHECK(!q.has_window());
    }
    SUBCASE("first_seen and last_seen around a change: both rulesets, ambiguous")
    {
        c.first_seen = "@1000003000";
        c.last_seen = "@1000004100";
        answerer.answer(c, q, a);
        CHECK(a.status == Status::ambiguous);
        CHECK(test::internals(a) == std::vector<std::string>{"10.0.0.2/tcp", "10.0.0.3/tcp"});
        CHECK(q.window_before == 1000);
        CHECK(q.window_after == 100);
    }
    SUBCASE("first_seen alone widens its side")
    {
        c.first_seen = "@1000003000";
        answerer.answer(c, q, a);
        CHECK(a.status == Status::ambiguous);
        CHECK(q.window_before == 1000);
        CHECK(q.window_after == 0);
    }
    SUBCASE("a window entirely after the change changes nothing but is still shown")
    {
        c.first_seen = "@1000003900";
        c.last_seen = "@1000004100";
        answerer.answer(c, q, a);
        CHECK(a.status == Status::unique);
        CHECK(q.window_before == 100);
    }
    SUBCASE("bounds inside the timestamp do not narrow the window --skew gives")
    {
        BatchOptions skewed;
        skewed.window_before = skewed.window_after = 1000;
        ComplaintAnswerer wide(history, TimeParser("UTC"), skewed, nullptr);
        c.first_seen = "@1000003990";
        c.last_seen = "@1000004010";
        wide.answer(c, q, a);
        CHECK(q.window_before == 1000);
        CHECK(q.window_after == 1000);
        CHECK(a.status == Status::ambiguous);
    }
    SUBCASE("first_seen after last_seen is refused")
    {
        c.first_seen = "@1000004100";
        c.last_seen = "@1000003000";
        CHECK_THROWS_WITH_AS(answerer.answer(c, q, a), "first_seen is after last_seen", UsageError);
    }
    SUBCASE("a protocol that names no transport: tcp and udp, with a warning")
    {
        c.proto = "smtp";
        c.lenient_proto = true;
        answerer.answer(c, q, a);
        CHECK(a.status == Status::unique);
        CHECK(q.proto == "");
        CHECK(test::any_warning_contains(a, "protocol \"smtp\" names no transport: tcp and udp were both looked up"));
    }
    SUBCASE("a transport without ports stays an error, lenient or not")
    {
        c.lenient_proto = true;
        for (const char* p : {"icmp", "sctp", "47"}) {
            c.proto = p;
            CHECK_THROWS_AS(answerer.answer(c, q, a), UsageError);
        }
        c.lenient_proto = false;
        c.proto = "smtp";
        CHECK_THROWS_WITH_AS(answerer.answer(c, q, a),
                             "protocol \"smtp\" has no ports this tool can trace; use tcp or udp", UsageError);
    }
    SUBCASE("the query and answer are reused row after row: nothing of one row leaks into the next")
    {
        c.proto = "smtp";
        c.lenient_proto = true;
        c.first_seen = "@1000003000";
        answerer.answer(c, q, a);
        CHECK(q.proto == "");
        CHECK(a.status == Status::ambiguous);
        Complaint bad = c;
        bad.port = "70000";
        CHECK_THROWS_AS(answerer.answer(bad, q, a), UsageError);
        Complaint plain;
        plain.address = "192.0.2.1";
        plain.port = "65300";
        plain.proto = "tcp";
        plain.time = "@1000004000";
        answerer.answer(plain, q, a);
        CHECK(q.proto == "tcp");
        CHECK(!q.has_window());
        CHECK(a.status == Status::unique);
        CHECK(*a.internal() == "10.0.0.3");
        CHECK(a.warnings.empty());
        plain.proto = "";
        plain.time = "@1000000100"; // before the change
        answerer.answer(plain, q, a);
        CHECK(q.proto == "");
        CHECK(*a.internal() == "10.0.0.2");
        plain.proto = "tcp";
        answerer.answer(plain, q, a);
        answerer.answer(c, q, a); // smtp again, after a tcp row
        CHECK(q.proto == "");
    }
    SUBCASE("no port and no sessions: the caller's message")
    {
        c.port = "";
        c.port_missing = "the report has no source_port";
        CHECK_THROWS_WITH_AS(answerer.answer(c, q, a), "the report has no source_port", UsageError);
    }
}
