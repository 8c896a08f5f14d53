#include "nat_cells.hpp"
#include "ruleset_parser.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

std::vector<Rule> rules(const std::string& body)
{
    auto r = parse_ruleset("*nat\n:POSTROUTING ACCEPT [0:0]\n" + body + "COMMIT\n");
    REQUIRE_FALSE(r.unusable);
    return r.nat_rules;
}

std::vector<NatCell> of_proto(const std::vector<NatCell>& cells, int proto)
{
    std::vector<NatCell> out;
    for (const auto& c : cells)
        if (c.proto == proto)
            out.push_back(c);
    return out;
}

const Ipv4 k_pub = *parse_ipv4("192.0.2.1");

} // namespace

TEST_CASE("build_nat_cells")
{
    SUBCASE("disjoint blocks give one cell each; the ICMP rule none")
    {
        auto cells = build_nat_cells(rules("-A POSTROUTING -p icmp -j SNAT --to-source 192.0.2.1\n"
                                           "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:2048-4095\n"
                                           "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"));
        CHECK(of_proto(cells, k_proto_udp).empty());
        auto tcp = of_proto(cells, k_proto_tcp);
        REQUIRE(tcp.size() == 2);
        CHECK(tcp[0] == NatCell{k_proto_tcp, k_pub, k_pub, 1024, 2047, 2, false});
        CHECK(tcp[1] == NatCell{k_proto_tcp, k_pub, k_pub, 2048, 4095, 1, false});
    }
    SUBCASE("a rule without -p serves both protocols; one without ports covers every port")
    {
        auto cells = build_nat_cells(rules("-A POSTROUTING -s 10.0.0.0/24 -j SNAT --to-source 192.0.2.1\n"));
        REQUIRE(cells.size() == 2);
        CHECK(cells[0] == NatCell{k_proto_tcp, k_pub, k_pub, 1, 65535, 0, false});
        CHECK(cells[1].proto == k_proto_udp);
    }
    SUBCASE("overlapping rules split the port axis and list every covering rule")
    {
        auto tcp = of_proto(build_nat_cells(rules("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
                                                  "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:1500-2500\n")),
                            k_proto_tcp);
        REQUIRE(tcp.size() == 4);
        CHECK(tcp[0] == NatCell{k_proto_tcp, k_pub, k_pub, 1000, 1499, 0, false});
        CHECK(tcp[1] == NatCell{k_proto_tcp, k_pub, k_pub, 1500, 2000, 0, false});
        CHECK(tcp[2] == NatCell{k_proto_tcp, k_pub, k_pub, 1500, 2000, 1, false});
        CHECK(tcp[3] == NatCell{k_proto_tcp, k_pub, k_pub, 2001, 2500, 1, false});
    }
    SUBCASE("MASQUERADE covers every public address and is marked")
    {
        auto tcp = of_proto(build_nat_cells(rules("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
                                                  "-A POSTROUTING -s 10.9.0.0/16 -j MASQUERADE\n")),
                            k_proto_tcp);
        // Below the SNAT address, the address itself (three port cells), above it.
        REQUIRE(tcp.size() == 6);
        CHECK(tcp[0] == NatCell{k_proto_tcp, 0, k_pub - 1, 1, 65535, 1, true});
        CHECK(tcp[1] == NatCell{k_proto_tcp, k_pub, k_pub, 1, 999, 1, true});
        CHECK(tcp[2] == NatCell{k_proto_tcp, k_pub, k_pub, 1000, 2000, 0, false});
        CHECK(tcp[3] == NatCell{k_proto_tcp, k_pub, k_pub, 1000, 2000, 1, true});
        CHECK(tcp[5] == NatCell{k_proto_tcp, k_pub + 1, 0xFFFFFFFFu, 1, 65535, 1, true});
    }
    SUBCASE("an SNAT address range spans several public addresses")
    {
        auto tcp = of_proto(build_nat_cells(rules("-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1-192.0.2.4:1024-2047\n"
                                                  "-A POSTROUTING -s 10.0.1.2 -p tcp -j SNAT --to-source 192.0.2.3:4096-8191\n")),
                            k_proto_tcp);
        REQUIRE(tcp.size() == 4);
        CHECK(tcp[0] == NatCell{k_proto_tcp, k_pub, k_pub + 1, 1024, 2047, 0, false});
        CHECK(tcp[1] == NatCell{k_proto_tcp, k_pub + 2, k_pub + 2, 1024, 2047, 0, false});
        CHECK(tcp[2] == NatCell{k_proto_tcp, k_pub + 2, k_pub + 2, 4096, 8191, 1, false});
        CHECK(tcp[3] == NatCell{k_proto_tcp, k_pub + 3, k_pub + 3, 1024, 2047, 0, false});
    }
    SUBCASE("rules outside POSTROUTING-like chains and other targets give no cells")
    {
        auto cells = build_nat_cells(rules("-A POSTROUTING -s 10.0.0.2 -p tcp -j RETURN\n"
                                           "-A POSTROUTING -s 10.0.0.2 -p tcp -j ACCEPT\n"));
        CHECK(cells.empty());
    }
}
