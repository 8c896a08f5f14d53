#include "derive/first_match6.hpp"
#include "parse/nft_document.hpp"
#include "parse/nft_ruleset.hpp"
#include "parse/ruleset_parser.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

std::vector<Rule> rules6(const std::string& body, const std::string& chains = "")
{
    auto parsed = parse_ruleset("*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n" + chains + body +
                                    "COMMIT\n",
                                Family::ipv6);
    if (parsed.unusable)
        FAIL(parsed.unusable->line, ": ", parsed.unusable->message);
    return parsed.nat_rules;
}

std::string reach(const ReachMap6& m, int position, int proto = k_proto_tcp)
{
    auto it = m.find({position, proto});
    if (it == m.end())
        return "(not reached)";
    return it->second.reach.empty() ? "(shadowed)" : describe_ranges(it->second.reach);
}

} // namespace

TEST_CASE("evaluate_first_match6: a host before its prefix, and the prefix's reach")
{
    auto rules = rules6("-A POSTROUTING -s fd00:4242::2/128 -p tcp -j SNAT --to-source [2001:db8::1]:1024-2047\n"
                        "-A POSTROUTING -s fd00:4242::/64 -j MASQUERADE\n");
    REQUIRE(rules.size() == 2);
    auto m = evaluate_first_match6(rules);
    CHECK(reach(m, 0) == "fd00:4242::2");
    CHECK(reach(m, 0, k_proto_udp) == "(not reached)");
    CHECK(reach(m, 1) == "fd00:4242::/127, fd00:4242::3-fd00:4242::ffff:ffff:ffff:ffff");
    CHECK(describe_ranges(m.at({1, k_proto_tcp}).excluded) == "fd00:4242::2");
    CHECK(m.at({1, k_proto_tcp}).taken_by == std::vector<int>{4});
    CHECK(reach(m, 1, k_proto_udp) == "fd00:4242::/64");
}

TEST_CASE("evaluate_first_match6: negation, a shadowed rule, user chains with RETURN")
{
    auto m = evaluate_first_match6(rules6("-A POSTROUTING ! -s fd00::/8 -j RETURN\n"
                                          "-A POSTROUTING -j MASQUERADE\n"
                                          "-A POSTROUTING -s fd00::1 -j MASQUERADE\n"));
    CHECK(reach(m, 1) == "fd00::/8");
    CHECK(reach(m, 2) == "(shadowed)");
    auto all = evaluate_first_match6(rules6("-A POSTROUTING ! -s ::/0 -j MASQUERADE\n-A POSTROUTING -j MASQUERADE\n"));
    CHECK(reach(all, 0) == "(not reached)");
    CHECK(reach(all, 1) == "::/0");
    auto chained = evaluate_first_match6(rules6("-A POSTROUTING -s fd00:1::/48 -j CLIENTS\n"
                                                "-A CLIENTS -s fd00:1::5 -j RETURN\n"
                                                "-A CLIENTS -j SNAT --to-source 2001:db8::7\n"
                                                "-A POSTROUTING -j MASQUERADE\n",
                                                ":CLIENTS - [0:0]\n"));
    // Positions: POSTROUTING's two rules, then CLIENTS' two.
    CHECK(reach(chained, 3) == "fd00:1::-fd00:1::4, fd00:1::6-fd00:1:0:ffff:ffff:ffff:ffff:ffff");
    CHECK(reach(chained, 1) == "::-fd00:0:ffff:ffff:ffff:ffff:ffff:ffff, fd00:1::5, fd00:1:1::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

TEST_CASE("ip6tables-save: addresses, targets and faults")
{
    auto rules = rules6("-A POSTROUTING -s 2001:db8:1::/64 -o eth0 -p udp -j SNAT --to-source "
                        "[2001:db8::1]-[2001:db8::3]:1024-2047\n"
                        "-A POSTROUTING -s fd00::2/128 -j SNAT --to-source 2001:db8::9\n"
                        "-A POSTROUTING -p tcp -m iprange --src-range fd00::10-fd00::20 -j MASQUERADE --to-ports 4000-4999\n");
    REQUIRE(rules.size() == 3);
    CHECK(format_ipv6_range(rules[0].source6) == "2001:db8:1::/64");
    CHECK(format_ipv6_range(*rules[0].to_addresses6) == "2001:db8::1-2001:db8::3");
    CHECK(rules[0].to_ports->lo == 1024);
    CHECK(rules[0].conditions == std::vector<std::string>{"-o eth0"});
    CHECK(format_ipv6_range(*rules[1].to_addresses6) == "2001:db8::9");
    CHECK_FALSE(rules[1].to_ports);
    CHECK(describe_source(rules[2], Family::ipv6) == "fd00::10-fd00::20");
    CHECK(rules[2].to_ports->hi == 4999);
    auto bad = parse_ruleset("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -j SNAT --to-source 192.0.2.1\nCOMMIT\n",
                             Family::ipv6);
    REQUIRE(bad.unusable);
    CHECK(bad.unusable->message == "bad address \"192.0.2.1\" in SNAT");
    auto unclosed = parse_ruleset("*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -p tcp -j SNAT --to-source "
                                  "[2001:db8::1:1024\nCOMMIT\n",
                                  Family::ipv6);
    CHECK(unclosed.unusable);
}

TEST_CASE("nft_nat for IPv6: ip6 and inet tables, each family's rules")
{
    auto doc = parse_nft_document(R"(table inet nat {
  chain postrouting {
    type nat hook postrouting priority srcnat; policy accept;
    ip saddr 10.42.0.0/16 masquerade
    ip6 saddr fd42::2 meta l4proto tcp snat ip6 to [2001:db8::1]:1024-2047
    ip6 saddr { fd42::/64, fd43::/64 } oifname "eth0" masquerade
    meta nfproto ipv4 snat ip to 192.0.2.1
    snat ip6 to ip6 saddr map { fd44::2 : 2001:db8::2 }
  }
}
table ip6 other {
  chain post { type nat hook postrouting priority 90; ip6 saddr fd45::/64 ip6 nexthdr udp snat to 2001:db8::5; }
}
)");
    REQUIRE_FALSE(doc.unusable);
    auto six = nft_nat(doc, Family::ipv6);
    REQUIRE_FALSE(six.unusable);
    CHECK(six.has_nat_table);
    std::vector<std::string> shapes;
    for (const auto& r : six.nat_rules)
        shapes.push_back(r.chain + " | " + describe_source(r, Family::ipv6) + " " + r.proto + " " + r.target + " " +
                         (r.to_addresses6 ? format_ipv6_range(*r.to_addresses6) : "-") +
                         (r.to_ports ? ":" + std::to_string(r.to_ports->lo) : ""));
    CHECK(shapes == std::vector<std::string>{
                        "POSTROUTING | ::/0  ip6 other post -",
                        "POSTROUTING | ::/0  inet nat postrouting -",
                        "inet nat postrouting | fd42::2 tcp SNAT 2001:db8::1:1024",
                        "inet nat postrouting | fd42::/64  MASQUERADE -",
                        "inet nat postrouting | fd43::/64  MASQUERADE -",
                        "inet nat postrouting | fd44::2  SNAT 2001:db8::2",
                        "ip6 other post | fd45::/64 udp SNAT 2001:db8::5",
                    });
    auto four = nft_nat(doc, Family::ipv4);
    REQUIRE_FALSE(four.unusable);
    std::size_t sources = 0;
    for (const auto& r : four.nat_rules)
        sources += r.target == "SNAT" || r.target == "MASQUERADE";
    CHECK(sources == 2); // the ip saddr masquerade and the nfproto ipv4 snat
    auto v4_only = nft_nat(parse_nft_document("table ip nat { chain p { type nat hook postrouting priority 100; "
                                              "masquerade; }; }\n"),
                           Family::ipv6);
    CHECK_FALSE(v4_only.has_nat_table);
}
