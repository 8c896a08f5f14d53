#include "derive/first_match.hpp"
#include "derive/nat_cells.hpp"
#include "parse/ruleset_parser.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

using namespace natfw;

namespace {

/// Parses a *nat table: `chains` declares user chains (":NAME - [0:0]" lines).
std::vector<Rule> rules_of(const std::string& body, const std::string& chains = "")
{
    auto parsed = parse_ruleset("*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" + chains + body +
                                "COMMIT\n");
    if (parsed.unusable)
        FAIL(parsed.unusable->line, ": ", parsed.unusable->message);
    return parsed.nat_rules;
}

/// The reach of the rule at `position` for tcp, described; "" when absent.
std::string reach(const ReachMap& m, int position, int proto = k_proto_tcp)
{
    auto it = m.find({position, proto});
    if (it == m.end())
        return "(not reached)";
    return it->second.reach.empty() ? "(shadowed)" : it->second.reach.describe();
}

} // namespace

TEST_CASE("Ipv4Set")
{
    Ipv4Set s(*parse_ipv4_network("10.0.0.0/24"));
    s = s.minus(Ipv4Set({*parse_ipv4("10.0.0.2"), *parse_ipv4("10.0.0.3")}));
    CHECK(s.describe() == "10.0.0.0/31, 10.0.0.4-10.0.0.255");
    s.add({*parse_ipv4("10.0.0.2"), *parse_ipv4("10.0.0.2")});
    s.add({*parse_ipv4("10.0.0.3"), *parse_ipv4("10.0.0.3")}); // touching ranges merge
    CHECK(s.describe() == "10.0.0.0/24");
    CHECK(s.size() == 256);
    CHECK(Ipv4Set::complement_of({0, 0xFFFFFFFFu}).empty());
    CHECK(Ipv4Set::complement_of(*parse_ipv4_network("10.0.0.0/8")).describe() ==
          "0.0.0.0-9.255.255.255, 11.0.0.0-255.255.255.255");
    CHECK(Ipv4Set({0, 0xFFFFFFFFu}).minus(Ipv4Set({0, 0xFFFFFFFFu})).empty());
    CHECK(Ipv4Set({5, 10}).intersect(Ipv4Set({8, 20})).ranges() == std::vector<Ipv4Range>{{8, 10}});
    CHECK_FALSE(Ipv4Set({5, 10}).intersects(Ipv4Set({11, 20})));
}

TEST_CASE("evaluate_first_match")
{
    SUBCASE("the generator's host rules: every rule reaches its own host")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -p icmp -j SNAT --to-source 192.0.2.1\n"
                                               "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"
                                               "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:65024-65279\n"));
        CHECK(reach(m, 1) == "10.0.0.2");
        CHECK(reach(m, 2) == "10.0.0.3");
        CHECK(reach(m, 0) == "(not reached)"); // ICMP: neither tcp nor udp
        CHECK(reach(m, 1, k_proto_udp) == "(not reached)");
    }
    SUBCASE("a subnet rule before host rules shadows them completely")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"
                                               "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"));
        CHECK(reach(m, 0) == "10.0.0.0/24");
        CHECK(reach(m, 1) == "(shadowed)");
        CHECK(m.at({1, k_proto_tcp}).taken_by == std::vector<int>{4});
    }
    SUBCASE("host rules before a subnet rule: the subnet minus those hosts")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"
                                               "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:65024-65279\n"
                                               "-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"));
        CHECK(reach(m, 2) == "10.0.0.0/31, 10.0.0.4-10.0.0.255");
        CHECK(m.at({2, k_proto_tcp}).partial());
        CHECK(m.at({2, k_proto_tcp}).taken_by == std::vector<int>{4, 5});
    }
    SUBCASE("a /30 minus three of its hosts leaves one address")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.0 -j ACCEPT\n"
                                               "-A POSTROUTING -s 10.0.0.1 -j ACCEPT\n"
                                               "-A POSTROUTING -s 10.0.0.3 -j ACCEPT\n"
                                               "-A POSTROUTING -s 10.0.0.0/30 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"));
        CHECK(reach(m, 3) == "10.0.0.2");
    }
    SUBCASE("a tcp-only rule does not take udp")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"
                                               "-A POSTROUTING -s 10.0.0.2 -j SNAT --to-source 192.0.2.2\n"));
        CHECK(reach(m, 1, k_proto_tcp) == "(shadowed)");
        CHECK(reach(m, 1, k_proto_udp) == "10.0.0.2");
    }
    SUBCASE("! -s: everything but the network")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING ! -s 10.0.0.0/8 -j ACCEPT\n"
                                               "-A POSTROUTING -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"));
        CHECK(reach(m, 1) == "10.0.0.0/8");
    }
    SUBCASE("may-match conditions take nothing from rules without them")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.0/24 -o eth1 -j ACCEPT\n"
                                               "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"
                                               "-A POSTROUTING -s 10.0.0.3 -o eth1 -p tcp -j SNAT --to-source 192.0.2.1:65024-65279\n"
                                               "-A POSTROUTING -s 10.0.0.4 -o eth1 -d 8.8.8.8 -p tcp -j SNAT --to-source 192.0.2.1:64768-65023\n"));
        CHECK(reach(m, 1) == "10.0.0.2");   // -o eth1 may not hold: the rule may apply
        CHECK(reach(m, 2) == "(shadowed)"); // the same condition: whenever it holds, ACCEPT took it
        CHECK(reach(m, 3) == "(shadowed)"); // stronger conditions: also taken
    }
    SUBCASE("jumps into user chains, RETURN and goto")
    {
        auto rules = rules_of("-A POSTROUTING -s 10.0.0.0/24 -j VPN\n"
                              "-A POSTROUTING -s 10.0.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"
                              "-A VPN -s 10.0.0.5 -j RETURN\n"
                              "-A VPN -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"
                              "-A VPN -s 10.0.0.5 -p tcp -j SNAT --to-source 192.0.2.1:65024-65279\n"
                              "-A VPN -p tcp -j SNAT --to-source 192.0.2.1:60000-60999\n",
                              ":VPN - [0:0]\n");
        auto m = evaluate_first_match(rules);
        CHECK(reach(m, 3) == "10.0.0.2");
        CHECK(reach(m, 4) == "(shadowed)"); // RETURNed before it
        // The catch-all in VPN only sees the jump's /24, minus .2 and the RETURNed .5.
        CHECK(reach(m, 5) == "10.0.0.0/31, 10.0.0.3-10.0.0.4, 10.0.0.6-10.0.0.255");
        // Back in POSTROUTING: .5 returned; the rest of the /24 was SNATed inside VPN.
        CHECK(reach(m, 1) == "10.0.0.5, 10.0.1.0-10.0.255.255");
    }
    SUBCASE("goto: no coming back to the calling chain")
    {
        auto rules = rules_of("-A POSTROUTING -s 10.0.0.0/24 -g VPN\n"
                              "-A POSTROUTING -s 10.0.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"
                              "-A VPN -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n",
                              ":VPN - [0:0]\n");
        auto m = evaluate_first_match(rules);
        CHECK(reach(m, 2) == "10.0.0.2");
        CHECK(reach(m, 1) == "10.0.1.0-10.0.255.255");
    }
    SUBCASE("a chain no rule jumps to is never reached")
    {
        auto m = evaluate_first_match(rules_of("-A SPARE -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n",
                                               ":SPARE - [0:0]\n"));
        CHECK(reach(m, 0) == "(not reached)");
    }
    SUBCASE("a non-terminal target (LOG) takes nothing")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.0/24 -j LOG\n"
                                               "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"));
        CHECK(reach(m, 1) == "10.0.0.2");
    }
}

namespace {

/// POSTROUTING -> C1, each Ci jumping to Ci+1 with `first` and again with
/// `second` (`{}` in them: i), the last chain holding `last`: 2^depth paths
/// when walked naively.
std::vector<Rule> doubled(int depth, const std::string& first, const std::string& second, const std::string& last)
{
    std::string chains, body = "-A POSTROUTING -j C1\n";
    for (int i = 1; i <= depth; ++i)
        chains += fmt::format(":C{} - [0:0]\n", i);
    for (int i = 1; i < depth; ++i)
        body += fmt::format("-A C{} {}-j C{}\n-A C{} {}-j C{}\n", i, fmt::format(fmt::runtime(first), i), i + 1, i,
                            fmt::format(fmt::runtime(second), i), i + 1);
    body += fmt::format("-A C{} {}\n", depth, last);
    return rules_of(body, chains);
}

} // namespace

TEST_CASE("evaluate_first_match: nft's accept and an iptables chain named accept")
{
    SUBCASE("an iptables user chain may be called accept: a jump, not nft's verdict")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.0/24 -j accept\n"
                                               "-A POSTROUTING -s 10.0.0.0/8 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
                                               "-A accept -s 10.0.0.0/25 -j RETURN\n",
                                               ":accept - [0:0]\n"));
        CHECK(reach(m, 1) == "10.0.0.0/8");
    }
    SUBCASE("nft's accept (k_nft_accept) in a chain called from a base chain ends that base chain only")
    {
        auto rules = rules_of("-A POSTROUTING -j base1\n"
                              "-A POSTROUTING -j base2\n"
                              "-A base1 -j sub\n"
                              "-A base1 -s 10.0.0.0/8 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
                              "-A sub -s 10.0.0.0/24 -j RETURN\n"
                              "-A base2 -s 10.0.0.0/8 -p tcp -j SNAT --to-source 192.0.2.2:1000-2000\n",
                              ":base1 - [0:0]\n:base2 - [0:0]\n:sub - [0:0]\n");
        rules.at(4).target = std::string(k_nft_accept); // what parse/nft_rule makes of `accept`
        auto m = evaluate_first_match(rules);
        CHECK(reach(m, 3) == "10.0.1.0-10.255.255.255");
        CHECK(reach(m, 5) == "10.0.0.0/24");
    }
}

TEST_CASE("evaluate_first_match stays polynomial whatever the jumps")
{
    SUBCASE("each chain jumping twice into the next, 40 deep: walked once, answered exactly")
    {
        auto rules = doubled(40, "", "", "-s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047");
        bool approximated = true;
        auto m = evaluate_first_match(rules, &approximated);
        CHECK_FALSE(approximated);
        CHECK(reach(m, static_cast<int>(rules.size()) - 1) == "10.0.0.2");
    }
    SUBCASE("a second call that reaches less still sees what the first call took")
    {
        // C2 SNATs 10.0.0.2 and RETURNs the rest; POSTROUTING's later rule gets everything but 10.0.0.2.
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -j C2\n-A POSTROUTING -j C2\n"
                                               "-A POSTROUTING -p tcp -j SNAT --to-source 192.0.2.9:1024-2047\n"
                                               "-A C2 -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n",
                                               ":C2 - [0:0]\n"));
        CHECK(reach(m, 2) == "0.0.0.0-10.0.0.1, 10.0.0.3-255.255.255.255");
        CHECK(reach(m, 3) == "10.0.0.2");
    }
    SUBCASE("different sources into the same chain: each part reaches it")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -s 10.0.0.2 -j C2\n-A POSTROUTING -s 10.0.0.3 -j C2\n"
                                               "-A C2 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n",
                                               ":C2 - [0:0]\n"));
        CHECK(reach(m, 2) == "10.0.0.2/31");
    }
    SUBCASE("a goto skipped as already walked still ends its chain")
    {
        auto m = evaluate_first_match(rules_of("-A POSTROUTING -j C1\n"
                                               "-A POSTROUTING -p tcp -j SNAT --to-source 192.0.2.9:1024-2047\n"
                                               "-A C1 -j C2\n-A C1 -g C2\n-A C1 -p tcp -j SNAT --to-source 192.0.2.8:1024-2047\n",
                                               ":C1 - [0:0]\n:C2 - [0:0]\n"));
        // C2 holds no rules, yet the goto ends C1: the packet goes back to POSTROUTING.
        CHECK(reach(m, 4) == "(shadowed)");
        CHECK(reach(m, 1) == "0.0.0.0/0");
    }
    SUBCASE("a goto chain 100,000 deep")
    {
        std::string chains, body = "-A POSTROUTING -g C1\n";
        constexpr int depth = 100'000;
        for (int i = 1; i <= depth; ++i)
            chains += fmt::format(":C{} - [0:0]\n", i);
        for (int i = 1; i < depth; ++i)
            body += fmt::format("-A C{} -g C{}\n", i, i + 1);
        body += fmt::format("-A C{} -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n", depth);
        auto rules = rules_of(body, chains);
        auto m = evaluate_first_match(rules);
        CHECK(reach(m, static_cast<int>(rules.size()) - 1) == "10.0.0.2");
    }
    SUBCASE("conditions that differ on every path: over budget, every rule keeps its whole source")
    {
        auto rules = doubled(40, "-o a{} ", "-o b{} ", "-s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047");
        bool approximated = false;
        auto m = evaluate_first_match(rules, &approximated);
        CHECK(approximated);
        CHECK(reach(m, static_cast<int>(rules.size()) - 1) == "10.0.0.0/24");
    }
    SUBCASE("a loop (unusable, never indexed) still ends")
    {
        std::vector<Rule> rules(2);
        rules[0].chain = "POSTROUTING";
        rules[0].target = "A";
        rules[1].chain = "A";
        rules[1].target = "A";
        rules[1].position = 1;
        CHECK(evaluate_first_match(rules).empty());
    }
}

TEST_CASE("evaluate_first_match: a rule narrowed by the jumps that lead to it is partial")
{
    // 10.1.0.5 never enters VPN, so VPN's catch-all SNAT is reached by 10.1.0.0/24 less
    // 10.1.0.5 and nothing outside: less than its written source (everything). The index
    // stores the reach of partial rules only; without it a reader would take the written one.
    auto rules = rules_of("-A POSTROUTING -s 10.1.0.5/32 -j ACCEPT\n"
                          "-A POSTROUTING -s 10.1.0.0/24 -j VPN\n"
                          "-A VPN -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n",
                          ":VPN - [0:0]\n");
    auto m = evaluate_first_match(rules);
    const auto& vpn = m.at({2, k_proto_tcp});
    CHECK(vpn.reach.describe() == "10.1.0.0-10.1.0.4, 10.1.0.6-10.1.0.255");
    CHECK(vpn.source == vpn.reach); // nothing in VPN takes part of what enters it
    CHECK(vpn.written.describe() == "0.0.0.0/0");
    CHECK(vpn.partial());
}
