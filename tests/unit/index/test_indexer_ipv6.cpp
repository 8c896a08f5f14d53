// natfw-index and the IPv6 timeline: which files enter it, what a second run
// and an index written before IPv6 was indexed do, and a lookup through it.
#include "index_fixture.hpp"

#include "index/index_report.hpp"

#include "query/nat6_tracer.hpp"
#include "query/timeline6.hpp"

#include <doctest/doctest.h>

using namespace natfw;
using test::IndexFixture;
using test::nat_table;

namespace {

const std::string k_v6 =
    nat_table("-A POSTROUTING -s fd00::2/128 -p tcp -j SNAT --to-source [2001:db8::1]:1024-2047\n"
              "-A POSTROUTING -s fd00::/64 -j MASQUERADE\n");
const std::string k_nft_both = "table inet nat {\n chain p {\n  type nat hook postrouting priority srcnat;\n"
                               "  ip saddr 10.0.0.2 meta l4proto tcp snat ip to 192.0.2.1:1024-2047\n"
                               "  ip6 saddr fd00::3 meta l4proto tcp snat ip6 to [2001:db8::1]:3000-3999\n }\n}\n";
const std::string k_nft_v4 = "table ip nat {\n chain p {\n  type nat hook postrouting priority srcnat;\n"
                             "  ip saddr 10.0.0.2 masquerade\n }\n}\n";

/// Lookups through the IPv6 timeline; answers point into it, so it lives as long as they are read.
struct Lookup6 {
    explicit Lookup6(IndexFixture& f) : history(f.db()), timeline(f.db()), tracer(timeline, history) {}
    Answer operator()(const std::string& time, const std::string& address, const std::string& port)
    {
        auto q = make_query({time, address, port}, "tcp", "", TimeParser("UTC"));
        Answer a;
        tracer.lookup(q, a);
        return a;
    }
    SqlHistory history;
    Timeline6 timeline;
    Nat6Tracer tracer;
};

} // namespace

TEST_CASE("index_directories: the IPv6 timeline")
{
    IndexFixture f;
    SUBCASE("rules.v6 beside rules.v4 of the same time: two timelines, one run, nothing new the second time")
    {
        f.snapshot("vpn", 1000000000, nat_table("-A POSTROUTING -s 10.0.0.2 -j MASQUERADE\n"));
        f.dir().write("vpn/rules.v6.1000000000", k_v6);
        auto first = f.index({"vpn"});
        CHECK(first.indexed == 2);
        CHECK(f.count("SELECT count(*) FROM snapshot") == 1);
        CHECK(f.count("SELECT count(*) FROM snapshot6") == 1);
        CHECK(f.count("SELECT count(*) FROM rule6") == 2);
        auto again = f.index({"vpn"});
        CHECK(again.indexed == 0);
        CHECK(again.unchanged == 2);
        CHECK(again.clean());
        Lookup6 lookup6(f);
        auto a = lookup6("@1000000100", "2001:db8::1", "1500");
        CHECK(a.status == Status::unique);
        CHECK(test::internals(a) == std::vector<std::string>{"fd00::2/tcp"});
        // The MASQUERADE is a warning until the node's IPv6 address is recorded.
        CHECK(test::any_warning_contains(a, "MASQUERADE for fd00::/64 except fd00::2 could also have produced port 1500"));
        auto before = lookup6("@999999999", "2001:db8::1", "1500");
        CHECK(before.status == Status::none);
    }
    SUBCASE("an nft snapshot enters both timelines; one without ip6 or inet tables is no part of the IPv6 one")
    {
        f.dir().write("vpn/nftables.conf.1000000000", k_nft_both);
        f.dir().write("vpn/nftables.conf.1000000500", k_nft_v4);
        CHECK(f.index({"vpn"}).indexed == 2);
        CHECK(f.count("SELECT count(*) FROM snapshot") == 2);
        CHECK(f.count("SELECT count(*) FROM snapshot6 WHERE ruleset6_id IS NOT NULL") == 1);
        CHECK(f.count("SELECT count(*) FROM snapshot6 WHERE ruleset6_id IS NULL") == 1);
        // The second file does not end the first one's IPv6 period.
        Lookup6 lookup6(f);
        auto a = lookup6("@1000000600", "2001:db8::1", "3500");
        CHECK(a.status == Status::unique);
        CHECK(test::internals(a) == std::vector<std::string>{"fd00::3/tcp"});
        CHECK(f.index({"vpn"}).unchanged == 2); // neither is read again
    }
    SUBCASE("nft snapshots indexed before IPv6 was get their IPv6 part on the next run")
    {
        f.dir().write("vpn/nftables.conf.1000000000", k_nft_both);
        f.index({"vpn"});
        f.db().exec("DELETE FROM snapshot6; DELETE FROM rule6; DELETE FROM ruleset6");
        auto again = f.index({"vpn"});
        CHECK(again.indexed == 0);
        CHECK(f.diagnostics().find("read the ip6 and inet tables of 1 nft snapshot(s) indexed before IPv6 was") !=
              std::string::npos);
        CHECK(f.count("SELECT count(*) FROM snapshot6 WHERE ruleset6_id IS NOT NULL") == 1);
    }
    SUBCASE("two IPv6 files of one time: the second is an error, the first stays")
    {
        f.dir().write("vpn/nftables.conf.1000000000", k_nft_both);
        f.dir().write("vpn/rules.v6.1000000000", k_v6);
        auto s = f.index({"vpn"});
        CHECK(s.file_errors == 1);
        CHECK(f.diagnostics().find("is indexed as the IPv6 ruleset of the same time") != std::string::npos);
        CHECK(f.count("SELECT count(*) FROM snapshot6") == 1);
    }
    SUBCASE("a rules.v6 file with CRLF line ends may never have loaded: the one before it answers too")
    {
        f.dir().write("vpn/rules.v6.1000000000", k_v6);
        std::string crlf;
        for (char ch : nat_table("-A POSTROUTING -s fd00::3/128 -p tcp -j SNAT --to-source [2001:db8::1]:1024-2047\n"))
            crlf += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
        f.dir().write("vpn/rules.v6.1000000500", crlf);
        f.index({"vpn"});
        CHECK(f.count("SELECT count(*) FROM snapshot6 WHERE doubt_reason IS NOT NULL") == 1);
        Lookup6 lookup6(f);
        auto a = lookup6("@1000000600", "2001:db8::1", "1500");
        CHECK(a.status == Status::ambiguous);
        CHECK(test::internals(a) == std::vector<std::string>{"fd00::3/tcp", "fd00::2/tcp"});
        CHECK(test::any_warning_contains(a, "may never have been in force"));
    }
    SUBCASE("ruleset checks: a shadowed rule and an ephemeral port block, kept for --list")
    {
        f.dir().write("vpn/rules.v6.1000000000",
                      nat_table("-A POSTROUTING -s fd00::/64 -j MASQUERADE\n"
                                "-A POSTROUTING -s fd00::2/128 -p tcp -j SNAT --to-source [2001:db8::1]:40000-40999\n"));
        f.index({"vpn"});
        CHECK(f.diagnostics().find("SNAT never applies: earlier rules (line") != std::string::npos);
        CHECK(f.count("SELECT count(*) FROM diagnostic6 WHERE kind = 'check'") == 1);
        f.dir().write("vpn/rules.v6.1000000100",
                      nat_table("-A POSTROUTING -s fd00::2/128 -p tcp -j SNAT --to-source [2001:db8::1]:40000-40999\n"));
        f.index({"vpn"});
        CHECK(f.diagnostics().find("1 port block(s) (lines 6 to 6) lie in 32768-60999") != std::string::npos);
        std::ostringstream listed;
        list_index(f.db(), listed);
        CHECK(listed.str().find("check: 1 port block(s)") != std::string::npos);
    }
    SUBCASE("a rules.v6 file edited after indexing is an integrity error; the evidence stays")
    {
        auto path = f.dir().write("vpn/rules.v6.1000000000", k_v6);
        f.index({"vpn"});
        f.dir().write("vpn/rules.v6.1000000000", k_v6 + "# edited\n");
        auto s = f.index({"vpn"});
        CHECK(s.integrity_errors == 1);
        CHECK(f.count("SELECT count(*) FROM rule6") == 2);
    }
}
