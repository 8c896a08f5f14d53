// An nftables ruleset's IPv4 NAT joined into one walk: base chains per hook
// in priority order, `accept` ending only its base chain, jumps qualified by
// table, IPv6-only rules left out, and the first-match reach that follows.
#include "derive/first_match.hpp"
#include "parse/nft_ruleset.hpp"
#include "util/file.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

using namespace natfw;

namespace {

ParsedRuleset joined(const std::string& text)
{
    auto doc = parse_nft_document(text);
    REQUIRE_FALSE(doc.unusable);
    return nft_nat(doc);
}

std::string reach(const ReachMap& m, int position, int proto = k_proto_tcp)
{
    auto it = m.find({position, proto});
    if (it == m.end())
        return "(not reached)";
    return it->second.reach.empty() ? "(shadowed)" : it->second.reach.describe();
}

std::string listing(const ParsedRuleset& p)
{
    std::string out;
    for (const auto& r : p.nat_rules)
        out += fmt::format("{} {}: {} -> {}\n", r.position, r.chain, r.source.describe(), r.target);
    return out;
}

} // namespace

TEST_CASE("nft_nat: accept ends only its base chain; a mapping ends the walk")
{
    // Written with the later chain first: priority, not the file, orders them.
    auto p = joined("table ip b {\n"
                    "  chain post { type nat hook postrouting priority 100; ip saddr 10.0.0.0/8 masquerade; }\n"
                    "}\n"
                    "table ip a {\n"
                    "  chain post {\n"
                    "    type nat hook postrouting priority 50;\n"
                    "    ip saddr 10.0.0.0/24 jump sub\n"
                    "    ip saddr 10.0.0.0/16 meta l4proto tcp snat to 192.0.2.1:1000-1999\n"
                    "  }\n"
                    "  chain sub { ip saddr 10.0.0.0/25 accept; }\n"
                    "}\n");
    REQUIRE_FALSE(p.unusable);
    CHECK(p.has_nat_table);
    CHECK(p.warnings.empty());
    CHECK(listing(p) == "0 POSTROUTING: 0.0.0.0/0 -> ip a post\n"
                        "1 POSTROUTING: 0.0.0.0/0 -> ip b post\n"
                        "2 ip b post: 10.0.0.0/8 -> MASQUERADE\n"
                        "3 ip a post: 10.0.0.0/24 -> ip a sub\n"
                        "4 ip a post: 10.0.0.0/16 -> SNAT\n"
                        "5 ip a sub: 10.0.0.0/25 -> accept\n");
    CHECK(p.nat_rules[0].line == 5);
    CHECK(p.nat_rules[0].text == "table ip a chain post: type nat hook postrouting priority 50");
    auto m = evaluate_first_match(p.nat_rules);
    // 10.0.0.0/25 was accepted in a's chain: a's snat never sees it, b's masquerade does.
    CHECK(reach(m, 4) == "10.0.0.128-10.0.255.255");
    CHECK(reach(m, 2) == "10.0.0.0/25, 10.1.0.0-10.255.255.255");
    CHECK(reach(m, 2, k_proto_udp) == "10.0.0.0/8");
}

TEST_CASE("nft_nat: return in a base chain, drop, and a chain reached by goto")
{
    auto p = joined("table inet t {\n"
                    "  chain first { type nat hook postrouting priority srcnat - 10;\n"
                    "    ip saddr 10.1.0.0/16 return\n"
                    "    ip saddr 10.2.0.0/16 drop\n"
                    "    ip saddr 10.3.0.0/16 goto g\n"
                    "    ip saddr 10.0.0.0/8 snat ip to 192.0.2.9\n"
                    "  }\n"
                    "  chain g { ip saddr 10.3.1.0/24 snat ip to 192.0.2.3; }\n"
                    "  chain last { type nat hook postrouting priority srcnat; masquerade; }\n"
                    "}\n");
    REQUIRE_FALSE(p.unusable);
    auto m = evaluate_first_match(p.nat_rules);
    // positions: 0, 1 calls; 2 return; 3 drop; 4 goto; 5 snat .9; 6 g's snat .3; 7 masquerade
    CHECK(reach(m, 5) == "10.0.0.0/16, 10.4.0.0-10.255.255.255");
    CHECK(reach(m, 6) == "10.3.1.0/24");
    // Returned sources reach the next base chain; dropped ones and those mapped do not.
    CHECK(reach(m, 7) == "0.0.0.0-9.255.255.255, 10.1.0.0/16, 10.3.0.0/24, 10.3.2.0-10.3.255.255, "
                         "11.0.0.0-255.255.255.255");
}

TEST_CASE("nft_nat: families, hooks, types and what makes it unusable")
{
    auto p = joined("table ip6 six { chain post { type nat hook postrouting priority 100; masquerade; }; }\n"
                    "table inet both {\n"
                    "  chain post { type nat hook postrouting priority 100;\n"
                    "    ip6 saddr fc00::/7 masquerade\n"
                    "    meta nfproto ipv6 masquerade\n"
                    "    oifname \"eth0\" masquerade\n"
                    "  }\n"
                    "  chain pre { type nat hook prerouting priority dstnat; tcp dport 2222 dnat ip to 10.0.0.5:22; }\n"
                    "  chain fwd { type filter hook forward priority 0; ip saddr 10.0.0.0/8 accept; }\n"
                    "}\n"
                    "table ip other { chain post2 { type nat hook postrouting priority 100; }; }\n");
    REQUIRE_FALSE(p.unusable);
    CHECK(listing(p) == "0 PREROUTING: 0.0.0.0/0 -> inet both pre\n"
                        "1 POSTROUTING: 0.0.0.0/0 -> inet both post\n"
                        "2 POSTROUTING: 0.0.0.0/0 -> ip other post2\n"
                        "3 inet both post: 0.0.0.0/0 -> MASQUERADE\n"
                        "4 inet both pre: 0.0.0.0/0 -> DNAT\n");
    REQUIRE(p.warnings.size() == 1);
    CHECK(p.warnings[0].line == 11);
    CHECK(p.warnings[0].message ==
          "nat chains inet both post and ip other post2 at postrouting have the same priority 100: the order they "
          "run in is the order they were loaded in, which the file does not prove; where both could map a "
          "connection the answer names both");

    auto six = nft_nat(parse_nft_document("table ip6 six { chain post { type nat hook postrouting priority "
                                               "100; masquerade; }; }\n"));
    CHECK_FALSE(six.has_nat_table);
    CHECK(six.ipv6_only); // a file of the IPv6 timeline
    CHECK_FALSE(p.ipv6_only);
    CHECK_FALSE(nft_nat(parse_nft_document("table ip6 f { chain in { type filter hook input priority 0; }; }\n"))
                    .ipv6_only);
    auto missing = nft_nat(parse_nft_document("table ip t {\n chain post { type nat hook postrouting priority "
                                                   "100;\n jump nowhere\n }\n}\n"));
    REQUIRE(missing.unusable);
    CHECK(missing.unusable->line == 3);
    CHECK(missing.unusable->message == "chain nowhere does not exist in table ip t");
    auto fault = nft_nat(parse_nft_document("table ip t {\n chain post { type nat hook postrouting priority "
                                                 "100;\n snat to 192.0.2.1:1-2\n }\n}\n"));
    REQUIRE(fault.unusable);
    CHECK(fault.unusable->line == 3);
    CHECK(fault.unusable->message == "transport protocol mapping is only valid after transport protocol match");
    auto broken = nft_nat(parse_nft_document("table ip t {\n"));
    REQUIRE(broken.unusable);
    CHECK(broken.unusable->message == "table t is not closed");
}

TEST_CASE("nft_nat: a DNAT only the output hook reaches is marked not inbound")
{
    auto p = joined("table inet nat {\n"
                    "  chain pre { type nat hook prerouting priority dstnat; jump fwd; tcp dport 22 dnat ip to 10.0.0.5; }\n"
                    "  chain fwd { tcp dport 80 dnat ip to 10.0.0.7; }\n"
                    "  chain out { type nat hook output priority -100; jump local; tcp dport 99 dnat ip to 10.0.0.8; }\n"
                    "  chain local { tcp dport 98 redirect to :9; }\n"
                    "}\n");
    REQUIRE_FALSE(p.unusable);
    int marked = 0, unmarked = 0;
    for (const auto& r : p.nat_rules) {
        if (r.target != "DNAT" && r.target != "REDIRECT")
            continue;
        bool not_inbound = std::find(r.conditions.begin(), r.conditions.end(), std::string(k_nft_not_inbound)) !=
                           r.conditions.end();
        CAPTURE(r.text);
        CHECK(not_inbound == (r.chain == "inet nat out" || r.chain == "inet nat local"));
        (not_inbound ? marked : unmarked)++;
    }
    CHECK(marked == 2);
    CHECK(unmarked == 2);
}

TEST_CASE("nft_nat: nat chains of equal priority never shadow each other")
{
    auto text = [](const char* natfw_priority) {
        return fmt::format("table ip natfw {{ chain post {{ type nat hook postrouting priority {};\n"
                           "  ip saddr 10.0.0.2 meta l4proto tcp snat to 192.0.2.1:65280-65535; }}; }}\n"
                           "table inet nat {{ chain post {{ type nat hook postrouting priority srcnat;\n"
                           "  ip saddr 10.0.0.0/8 masquerade; }}; }}\n",
                           natfw_priority);
    };
    // Ahead of srcnat: the port block takes 10.0.0.2 for certain; masquerade never sees it.
    auto ahead = joined(text("srcnat - 10"));
    CHECK(ahead.warnings.empty());
    CHECK(ahead.nat_rules[0].conditions.empty());
    auto m = evaluate_first_match(ahead.nat_rules);
    CHECK(reach(m, 2) == "10.0.0.2");
    CHECK(reach(m, 3) == "10.0.0.0/31, 10.0.0.3-10.255.255.255");

    // Both at srcnat: either may run first, so masquerade may take 10.0.0.2 too.
    auto equal = joined(text("srcnat"));
    REQUIRE(equal.warnings.size() == 1);
    REQUIRE(equal.nat_rules.size() == 4);
    REQUIRE(equal.nat_rules[0].conditions.size() == 1);
    CHECK(equal.nat_rules[0].conditions[0] ==
          "ip natfw post runs in an unknown order among the nat chains of priority 100 at postrouting");
    REQUIRE(equal.nat_rules[1].conditions.size() == 1);
    CHECK(equal.nat_rules[1].conditions[0] ==
          "inet nat post runs in an unknown order among the nat chains of priority 100 at postrouting");
    m = evaluate_first_match(equal.nat_rules);
    CHECK(reach(m, 2) == "10.0.0.2");
    CHECK(reach(m, 3) == "10.0.0.0/8");
    CHECK(reach(m, 3, k_proto_udp) == "10.0.0.0/8");
}

TEST_CASE("nft_nat: the eduVPN 3 fixture and nft's listing of it")
{
    const auto dir = std::filesystem::path(NATFW_TEST_DATA) / "nft";
    for (const char* name : {"eduvpn3-natfw.nftables.conf", "eduvpn3-natfw.listed.nft"}) {
        CAPTURE(std::string(name));
        auto p = nft_nat(parse_nft_document(read_file(dir / name)));
        REQUIRE_FALSE(p.unusable);
        CHECK(p.warnings.empty());
        auto m = evaluate_first_match(p.nat_rules);
        // 0, 1: calls (natfw at srcnat - 10 first); 2, 3: 10.42.0.4 tcp/udp; 4-7: the map's two
        // clients, tcp and udp; 8-10: eduVPN's masquerade of the private ranges.
        CHECK(p.nat_rules[0].target == "ip natfw postrouting");
        CHECK(reach(m, 2) == "10.42.0.4");
        CHECK(reach(m, 3, k_proto_udp) == "10.42.0.4");
        CHECK(reach(m, 4) == "10.42.0.2");
        CHECK(reach(m, 7, k_proto_udp) == "10.42.0.3");
        CHECK(p.nat_rules[6].to_ports == PortRange{65024, 65279});
        CHECK(reach(m, 8) == "10.0.0.0-10.42.0.1, 10.42.0.5-10.255.255.255");
        CHECK(reach(m, 9) == "172.16.0.0/12");
        CHECK(p.nat_rules.size() == 11);
    }
}
