// One nftables rule in the terms of Rule: sources, protocols, conditions,
// verdicts and NAT statements, sets and maps expanded in order, and the
// faults nft 1.0.6 refuses (messages as nft -c printed them where it has one).
#include "parse/nft_rule.hpp"
#include "nft_fixtures.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <filesystem>

using namespace natfw;

namespace {

struct Read {
    NftDocument doc;
    NftRuleReading reading;
};

/// `rule` as the only rule of chain c of `table ip t`, after `table_extra` (sets, maps).
Read read(const std::string& rule, const std::string& table_extra = "")
{
    Read r;
    r.doc = parse_nft_document("table ip t {\n" + table_extra + "\nchain c {\ntype nat hook postrouting priority 100;\n" +
                               rule + "\n}\n}\n");
    REQUIRE_FALSE(r.doc.unusable);
    const auto& t = r.doc.tables.at(0);
    const auto& c = *t.chain("c");
    REQUIRE(c.rules.size() == 1);
    r.reading = read_nft_rule(c.rules[0], t, "c");
    return r;
}

std::string range(const std::optional<Ipv4Range>& r) { return r ? format_ipv4_range(*r) : "-"; }
std::string ports(const std::optional<PortRange>& p) { return p ? fmt::format("{}-{}", p->lo, p->hi) : "-"; }

/// One line per Rule: source proto target to ports [conditions].
std::string shape(const NftRuleReading& r)
{
    std::string out;
    for (const auto& rule : r.rules) {
        out += fmt::format("{}{} {}{} {}{} {} {}", rule.source.negated ? "!" : "", format_ipv4_range(rule.source.range),
                           rule.proto_negated ? "!" : "", rule.proto.empty() ? "any" : rule.proto,
                           rule.goto_chain ? "goto:" : "", rule.target, range(rule.to_addresses), ports(rule.to_ports));
        for (const auto& c : rule.conditions)
            out += " [" + c + "]";
        out += "\n";
    }
    return out;
}

/// The IPv6 fields, one line per Rule: source to.
std::string shape6(const NftRuleReading& r)
{
    std::string out;
    for (const auto& rule : r.rules)
        out += format_ipv6_range(rule.source6) + " " +
               (rule.to_addresses6 ? format_ipv6_range(*rule.to_addresses6) : std::string("-")) + "\n";
    return out;
}

} // namespace

TEST_CASE("read_nft_rule: sources, protocols and NAT statements")
{
    SUBCASE("a per-client port block as nft list ruleset prints it")
    {
        auto r = read("ip saddr 10.0.0.2 meta l4proto tcp counter packets 0 bytes 0 snat to 192.0.2.1:65280-65535");
        CHECK_FALSE(r.reading.fault);
        CHECK(r.reading.warnings.empty());
        CHECK(shape(r.reading) == "10.0.0.2 tcp SNAT 192.0.2.1 65280-65535\n");
        const auto& rule = r.reading.rules.at(0);
        CHECK(rule.line == 5);
        CHECK(rule.chain == "c");
        CHECK(rule.text == "ip saddr 10.0.0.2 meta l4proto tcp counter packets 0 bytes 0 snat to 192.0.2.1:65280-65535");
    }
    SUBCASE("a set of protocols and of sources: one Rule each, in order")
    {
        auto r = read("ip saddr { 10.0.0.0/24, 10.1.0.0-10.1.0.9 } meta l4proto { tcp, udp } snat ip to "
                      "192.0.2.1-192.0.2.2:1024-2047 persistent,random");
        CHECK_FALSE(r.reading.fault);
        CHECK(shape(r.reading) == "10.0.0.0/24 tcp SNAT 192.0.2.1-192.0.2.2 1024-2047\n"
                                  "10.0.0.0/24 udp SNAT 192.0.2.1-192.0.2.2 1024-2047\n"
                                  "10.1.0.0-10.1.0.9 tcp SNAT 192.0.2.1-192.0.2.2 1024-2047\n"
                                  "10.1.0.0-10.1.0.9 udp SNAT 192.0.2.1-192.0.2.2 1024-2047\n");
    }
    SUBCASE("a named set")
    {
        auto r = read("ip saddr @clients oifname \"eth0\" masquerade",
                      "set clients { type ipv4_addr; flags interval; elements = { 10.8.0.0/24, 10.9.0.0/26 } }");
        CHECK(shape(r.reading) == "10.8.0.0/24 any MASQUERADE - - [oifname \"eth0\"]\n"
                                  "10.9.0.0/26 any MASQUERADE - - [oifname \"eth0\"]\n");
    }
    SUBCASE("negations")
    {
        CHECK(shape(read("ip saddr != 10.0.0.0/8 ip protocol != udp masquerade").reading) ==
              "!10.0.0.0/8 !udp MASQUERADE - -\n");
        // Not one range: the rule may match.
        CHECK(shape(read("ip saddr != { 10.0.0.1, 10.0.0.2 } masquerade").reading) ==
              "0.0.0.0/0 any MASQUERADE - - [ip saddr != { 10.0.0.1, 10.0.0.2 }]\n");
    }
    SUBCASE("protocol numbers, and tcp/udp matches that imply the protocol")
    {
        CHECK(shape(read("meta l4proto 6 masquerade to :1024-2047 random").reading) ==
              "0.0.0.0/0 tcp MASQUERADE - 1024-2047\n");
        CHECK(shape(read("tcp dport { 80, 443 } snat to 192.0.2.1:100-200").reading) ==
              "0.0.0.0/0 tcp SNAT 192.0.2.1 100-200 [tcp dport { 80, 443 }]\n");
        CHECK(shape(read("meta l4proto { tcp, udp } udp sport 53 masquerade").reading) ==
              "0.0.0.0/0 udp MASQUERADE - - [udp sport 53]\n");
    }
    SUBCASE("conditions a lookup cannot evaluate; statements that change nothing")
    {
        CHECK(shape(read("iifname \"wg0\" ip daddr != 192.0.2.0/24 ct state new meta mark 0x1 mark set 2 log prefix "
                         "\"nat \" level info comment \"x\" counter accept")
                        .reading) ==
              "0.0.0.0/0 any accept - - [iifname \"wg0\"] [ip daddr != 192.0.2.0/24] [ct state new] [meta mark 0x1]\n");
    }
    SUBCASE("verdicts: jump, goto, return, drop, reject, and a rule without one")
    {
        CHECK(shape(read("ip saddr 10.0.0.0/24 jump clients").reading) == "10.0.0.0/24 any clients - -\n");
        CHECK(shape(read("goto clients").reading) == "0.0.0.0/0 any goto:clients - -\n");
        CHECK(shape(read("ip saddr 10.0.0.0/24 return").reading) == "10.0.0.0/24 any RETURN - -\n");
        CHECK(shape(read("drop").reading) == "0.0.0.0/0 any DROP - -\n");
        CHECK(shape(read("reject with icmp type host-unreachable").reading) == "0.0.0.0/0 any DROP - -\n");
        CHECK(shape(read("counter").reading) == "0.0.0.0/0 any  - -\n");
        auto twice = read("accept drop").reading;
        CHECK(shape(twice) == "0.0.0.0/0 any accept - -\n");
        CHECK(twice.warnings == std::vector<std::string>{"\"DROP\" after \"accept\" is never reached"});
    }
    SUBCASE("forms nft 1.0.6 also takes (checked with nft -c)")
    {
        CHECK(shape(read("snat 192.0.2.1").reading) == "0.0.0.0/0 any SNAT 192.0.2.1 -\n");
        CHECK(shape(read("snat to 10.0.0.0/30").reading) == "0.0.0.0/0 any SNAT 10.0.0.0/30 -\n");
        CHECK(shape(read("meta l4proto tcp snat to 192.0.2.1:0-10").reading) == "0.0.0.0/0 tcp SNAT 192.0.2.1 0-10\n");
    }
    SUBCASE("verdict maps: one Rule per element")
    {
        CHECK(shape(read("meta l4proto tcp ip saddr vmap { 10.0.0.0/24 : jump clients, 10.1.0.0/24 : accept, "
                         "10.2.0.0/24 : goto other }")
                        .reading) == "10.0.0.0/24 tcp clients - -\n"
                                     "10.1.0.0/24 tcp accept - -\n"
                                     "10.2.0.0/24 tcp goto:other - -\n");
        CHECK(shape(read("ip saddr 10.0.0.0/8 ct state vmap { invalid : drop, established : accept }").reading) ==
              "10.0.0.0/8 any DROP - - [ct state invalid]\n"
              "10.0.0.0/8 any accept - - [ct state established]\n");
        CHECK(shape(read("oifname lo accept").reading) == "0.0.0.0/0 any accept - - [oifname \"lo\"]\n");
    }
    SUBCASE("dnat and redirect for --inbound")
    {
        CHECK(shape(read("tcp dport 2222 dnat to 10.0.0.5:22").reading) ==
              "0.0.0.0/0 tcp DNAT 10.0.0.5 22-22 [tcp dport 2222]\n");
        CHECK(shape(read("meta l4proto tcp redirect to :8080").reading) == "0.0.0.0/0 tcp REDIRECT - 8080-8080\n");
        auto mapped = read("tcp dport 80 dnat ip to tcp dport map { 80 : 10.0.0.5 }").reading;
        CHECK(shape(mapped) == "0.0.0.0/0 tcp DNAT - - [tcp dport 80] [dnat to tcp dport map]\n");
        CHECK(mapped.warnings ==
              std::vector<std::string>{"dnat to tcp dport map: a map on anything but ip saddr is not read; the rule may match"});
    }
}

TEST_CASE("read_nft_rule: maps from source to address and ports")
{
    SUBCASE("anonymous")
    {
        auto r = read("meta l4proto udp snat ip to ip saddr map { 10.0.0.2 : 192.0.2.2 . 4000-4001, 10.0.0.3 : "
                      "192.0.2.2 . 4002-4003 }");
        CHECK_FALSE(r.reading.fault);
        CHECK(shape(r.reading) == "10.0.0.2 udp SNAT 192.0.2.2 4000-4001\n"
                                  "10.0.0.3 udp SNAT 192.0.2.2 4002-4003\n");
    }
    SUBCASE("named, with intervals, addresses only")
    {
        auto r = read("meta l4proto { tcp, udp } snat ip to ip saddr map @blocks",
                      "map blocks { type ipv4_addr : interval ipv4_addr . inet_service; flags interval;\n"
                      "elements = { 10.42.0.0/30 : 192.0.2.1 . 65280-65535 } }");
        CHECK(shape(r.reading) == "10.42.0.0/30 tcp SNAT 192.0.2.1 65280-65535\n"
                                  "10.42.0.0/30 udp SNAT 192.0.2.1 65280-65535\n");
        auto plain = read("snat to ip saddr map { 10.0.0.0/24 : 192.0.2.7 }");
        CHECK(shape(plain.reading) == "10.0.0.0/24 any SNAT 192.0.2.7 -\n");
    }
    SUBCASE("a map on anything else is not read: the rule may match")
    {
        auto r = read("meta l4proto tcp snat ip to tcp dport map { 80 : 192.0.2.1 . 100 }");
        CHECK_FALSE(r.reading.fault);
        CHECK(shape(r.reading) == "0.0.0.0/0 tcp SNAT - - [snat to tcp dport map]\n");
        CHECK(r.reading.warnings ==
              std::vector<std::string>{"snat to tcp dport map: a map on anything but ip saddr is not read; the rule may match"});
    }
}

TEST_CASE("read_nft_rule: IPv6 is flagged, not read")
{
    CHECK(read("ip6 saddr fc00::/7 masquerade").reading.other_family);
    CHECK(read("meta l4proto tcp snat ip6 to [2001:db8::1]:1024-2047").reading.other_family);
    CHECK(read("meta nfproto ipv6 masquerade").reading.other_family);
    auto v4 = read("meta nfproto ipv4 masquerade").reading;
    CHECK_FALSE(v4.other_family);
    CHECK(shape(v4) == "0.0.0.0/0 any MASQUERADE - -\n");
}

TEST_CASE("read_nft_rule: unknown expressions make the rule may match")
{
    auto r = read("limit rate 10/second burst 5 packets ip saddr 10.0.0.2 masquerade").reading;
    CHECK_FALSE(r.fault);
    CHECK(shape(r) == "10.0.0.2 any MASQUERADE - - [limit rate 10/second burst 5 packets]\n");
    CHECK(r.warnings == std::vector<std::string>{"\"limit rate 10/second burst 5 packets\" is not understood; the rule may match"});
}

TEST_CASE("read_nft_rule: faults nft refuses")
{
    struct Case {
        const char* rule;
        const char* fault;
    };
    const Case cases[] = {
        {"ip saddr 10.0.0.1 snat to 192.0.2.1:100-200", "transport protocol mapping is only valid after transport protocol match"},
        {"masquerade to :100-200", "transport protocol mapping is only valid after transport protocol match"},
        {"meta l4proto udp tcp dport 80 masquerade", "conflicting protocols specified: udp vs. tcp"},
        {"ip saddr 10.0.0.5-10.0.0.1 masquerade", "ip saddr: \"10.0.0.5-10.0.0.1\" is not an IPv4 address, prefix or range"},
        {"ip saddr eth0 masquerade", "ip saddr: \"eth0\" is not an IPv4 address, prefix or range"},
        {"ip saddr @nowhere masquerade", "ip saddr: set nowhere does not exist in table ip t"},
        {"snat to", "snat: an address is missing"},
        {"snat to 192.0.2.300", "snat: \"192.0.2.300\" is not an IPv4 address or range"},
        {"meta l4proto tcp snat to 192.0.2.1:10-70000", "snat: port 70000 is outside 0-65535"},
        {"meta l4proto tcp snat to 192.0.2.1:20-10", "snat: port range 20-10 is inverted"},
        {"meta l4proto tcp masquerade to 192.0.2.1", "masquerade to \"192.0.2.1\": only ports (:LO-HI) can follow"},
        {"meta l4proto tcp snat ip to ip saddr map { 10.0.0.2 : 192.0.2.2 4000 }",
         "snat map: element \"10.0.0.2 : 192.0.2.2 4000\" is not SOURCE : ADDRESS [. PORTS]"},
        {"snat ip to ip saddr map { 10.0.0.2 : 192.0.2.2 . 4000-4001 }",
         "transport protocol mapping is only valid after transport protocol match"},
        {"jump", "jump: a chain name is missing"},
        {"ip saddr vmap { 10.0.0.1 : snat }", "ip saddr vmap: \"snat\" is not a verdict"},
        {"ct state vmap { invalid drop }", "ct state vmap: element \"invalid drop\" is not KEY : VERDICT"},
        {"ip saddr", "ip saddr: a value is missing"},
    };
    for (const auto& c : cases) {
        std::string rule = c.rule;
        CAPTURE(rule);
        auto r = read(rule).reading;
        REQUIRE(r.fault);
        CHECK(*r.fault == c.fault);
    }
}

TEST_CASE("read_nft_rule: a file and nft 1.0.6's listing of it read the same")
{
    for (const auto& pair : test::nft_fixture_pairs()) {
        // No structured binding: clang 14 refuses one inside CAPTURE's lambda.
        const auto& a = pair.source;
        const auto& b = pair.listed;
        CAPTURE(pair.name);
        REQUIRE(a.tables.size() == b.tables.size());
        int rules = 0, ipv6 = 0;
        for (const auto& ta : a.tables)
            for (const auto& ca : ta.chains) {
                const auto* tb = b.table(ta.family, ta.name);
                REQUIRE(tb);
                const auto* cb = tb->chain(ca.name);
                REQUIRE(cb);
                REQUIRE(ca.rules.size() == cb->rules.size());
                for (std::size_t i = 0; i < ca.rules.size(); ++i)
                    for (auto family : {Family::ipv4, Family::ipv6}) {
                        auto ra = read_nft_rule(ca.rules[i], ta, ca.name, family);
                        auto rb = read_nft_rule(cb->rules[i], *tb, cb->name, family);
                        CAPTURE(ca.rules[i].text);
                        CHECK_FALSE(ra.fault);
                        CHECK_FALSE(rb.fault);
                        CHECK(ra.warnings.empty());
                        CHECK(ra.other_family == rb.other_family);
                        // The counters nft adds and its spelling of sets and ranges change nothing.
                        CHECK(shape(ra) == shape(rb));
                        CHECK(shape6(ra) == shape6(rb));
                        if (family == Family::ipv4)
                            rules += static_cast<int>(ra.rules.size());
                        else
                            ipv6 += static_cast<int>(ra.rules.size());
                    }
            }
        CHECK(rules + ipv6 > 0);
        MESSAGE(pair.name, ": ", rules, " Rules read for IPv4, ", ipv6, " for IPv6");
    }
}
