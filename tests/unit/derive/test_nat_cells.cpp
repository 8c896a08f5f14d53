#include "derive/nat_cells.hpp"
#include "parse/ruleset_parser.hpp"

#include <doctest/doctest.h>

#include <algorithm>

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

std::vector<NatCell> cells_of(const std::vector<Rule>& rs)
{
    return build_nat_cells(rs, evaluate_first_match(rs));
}

} // namespace

TEST_CASE("build_nat_cells")
{
    SUBCASE("disjoint blocks give one cell each; the ICMP rule none")
    {
        auto cells = cells_of(rules("-A POSTROUTING -p icmp -j SNAT --to-source 192.0.2.1\n"
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
        auto cells = cells_of(rules("-A POSTROUTING -s 10.0.0.0/24 -j SNAT --to-source 192.0.2.1\n"));
        REQUIRE(cells.size() == 2);
        CHECK(cells[0] == NatCell{k_proto_tcp, k_pub, k_pub, 1, 65535, 0, false});
        CHECK(cells[1].proto == k_proto_udp);
    }
    SUBCASE("overlapping rules split the port axis and list every covering rule")
    {
        auto tcp = of_proto(cells_of(rules("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
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
        auto tcp = of_proto(cells_of(rules("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:1000-2000\n"
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
        auto tcp = of_proto(cells_of(rules("-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1-192.0.2.4:1024-2047\n"
                                                  "-A POSTROUTING -s 10.0.1.2 -p tcp -j SNAT --to-source 192.0.2.3:4096-8191\n")),
                            k_proto_tcp);
        REQUIRE(tcp.size() == 4);
        CHECK(tcp[0] == NatCell{k_proto_tcp, k_pub, k_pub + 1, 1024, 2047, 0, false});
        CHECK(tcp[1] == NatCell{k_proto_tcp, k_pub + 2, k_pub + 2, 1024, 2047, 0, false});
        CHECK(tcp[2] == NatCell{k_proto_tcp, k_pub + 2, k_pub + 2, 4096, 8191, 1, false});
        CHECK(tcp[3] == NatCell{k_proto_tcp, k_pub + 3, k_pub + 3, 1024, 2047, 0, false});
    }
    SUBCASE("a rule an earlier one shadows for a protocol has its cells marked never")
    {
        auto cells = cells_of(rules("-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"
                                    "-A POSTROUTING -s 10.0.0.2 -j SNAT --to-source 192.0.2.1\n"));
        auto tcp = of_proto(cells, k_proto_tcp);
        REQUIRE(tcp.size() == 4); // 1-1023, 1024-2047 twice, 2048-65535
        for (const auto& c : tcp)
            CHECK(c.never == (c.position == 1));
        auto udp = of_proto(cells, k_proto_udp);
        REQUIRE(udp.size() == 1);
        CHECK(udp[0].position == 1);
        CHECK_FALSE(udp[0].never);
    }
    SUBCASE("rules outside POSTROUTING-like chains and other targets give no cells")
    {
        auto cells = cells_of(rules("-A POSTROUTING -s 10.0.0.2 -p tcp -j RETURN\n"
                                           "-A POSTROUTING -s 10.0.0.2 -p tcp -j ACCEPT\n"));
        CHECK(cells.empty());
    }
}

#include "derive/ruleset_pack.hpp"

TEST_CASE("pack_hits with and without buckets agrees with the cells")
{
    // 300 blocks of 7 ports, a wide overlapping rule and MASQUERADE: every
    // port of the plane looked up through the pack (bucketed, as the column
    // is large) and through a plain scan of the cells.
    std::string body;
    for (int c = 0; c < 300; ++c)
        body += "-A POSTROUTING -s 10.0." + std::to_string(c / 200) + "." + std::to_string(c % 200 + 2) +
                " -p tcp -j SNAT --to-source 192.0.2.1:" + std::to_string(65535 - 7 * c - 6) + "-" +
                std::to_string(65535 - 7 * c) + "\n";
    body += "-A POSTROUTING -s 10.9.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1:40000-64000\n";
    body += "-A POSTROUTING -s 10.8.0.0/16 -j MASQUERADE\n";
    auto rs = rules(body);
    auto reach = evaluate_first_match(rs);
    auto cells = build_nat_cells(rs, reach);
    RulesetPack pack = *decode_pack(encode_pack(make_pack(rs, cells, reach)));
    index_buckets(pack);
    REQUIRE(pack.tcp_bucket_of.size() == pack.tcp_columns.size());
    CHECK(std::count(pack.tcp_bucket_of.begin(), pack.tcp_bucket_of.end(), ~0u) == 2); // the MASQUERADE-only columns
    for (Ipv4 ip : {k_pub - 1, k_pub, k_pub + 1}) {
        for (unsigned port = 1; port <= 65535; ++port) {
            std::vector<RuleHit> hits;
            pack_hits(pack, k_proto_tcp, ip, static_cast<std::uint16_t>(port), hits);
            std::vector<int> got, want;
            for (const auto& h : hits)
                got.push_back(h.position);
            for (const auto& c : cells)
                if (c.proto == k_proto_tcp && c.pub_lo <= ip && ip <= c.pub_hi && c.port_lo <= port && port <= c.port_hi)
                    want.push_back(c.position);
            REQUIRE_MESSAGE(got == want, "ip " << format_ipv4(ip) << " port " << port);
        }
    }
}

TEST_CASE("pack_hits of a partly reached rule: the range that reaches it and what earlier rules take")
{
    auto rs = rules("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:2048-4095\n"
                    "-A POSTROUTING -s 10.0.0.9 -p tcp -j SNAT --to-source 192.0.2.1:4096-8191\n"
                    "-A POSTROUTING -s 10.0.0.0/24 -j SNAT --to-source 192.0.2.1\n");
    auto reach = evaluate_first_match(rs);
    auto cells = build_nat_cells(rs, reach);
    auto blob = encode_pack(make_pack(rs, cells, reach));
    RulesetPack pack = *decode_pack(blob);
    index_buckets(pack);
    std::vector<RuleHit> hits;
    pack_hits(pack, k_proto_tcp, k_pub, 3000, hits);
    REQUIRE(hits.size() == 2);
    CHECK(hits[0].source.describe() == "10.0.0.2");
    CHECK(hits[0].excluded.empty());
    CHECK(hits[1].source.describe() == "10.0.0.0/24");
    CHECK(hits[1].excluded == "10.0.0.2, 10.0.0.9");
    CHECK(std::vector<std::int32_t>(hits[1].taken_by.begin(), hits[1].taken_by.end()) ==
          std::vector<std::int32_t>{3, 4}); // lines 3 and 4 of the table
    hits.clear();
    pack_hits(pack, k_proto_udp, k_pub, 3000, hits); // no earlier udp rule: the whole /24
    REQUIRE(hits.size() == 1);
    CHECK(hits[0].excluded.empty());
    SUBCASE("a truncated or altered blob is refused, not misread")
    {
        CHECK_FALSE(decode_pack(std::string_view(blob).substr(0, blob.size() - 1)));
        CHECK_FALSE(decode_pack(blob + "x"));
    }
    SUBCASE("every single flipped bit is refused or changes nothing that is read")
    {
        // zstd's checksum covers the content; a few bits of the frame header
        // (e.g. whether the content size is written out) change no content.
        int refused = 0, same = 0;
        for (std::size_t i = 0; i < blob.size(); ++i)
            for (int bit = 0; bit < 8; ++bit) {
                std::string flipped = blob;
                flipped[i] = static_cast<char>(flipped[i] ^ (1 << bit));
                auto decoded = decode_pack(flipped);
                if (!decoded)
                    ++refused;
                else if (encode_pack(*decoded) == blob)
                    ++same;
            }
        CHECK(refused + same == static_cast<int>(blob.size() * 8));
        CHECK(refused > static_cast<int>(blob.size() * 7));
    }
}
