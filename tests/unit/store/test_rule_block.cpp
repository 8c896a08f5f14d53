#include "index_fixture.hpp"
#include "store/database.hpp"
#include "store/rule_block.hpp"
#include "store/rule_blocks.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using namespace natfw;

namespace {

/// A host rule per client 10.0.x.y in address order, with a DNAT rule and a
/// subnet rule far apart, over three blocks.
std::string many_rules(int clients)
{
    std::string text = "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n"
                       "-A PREROUTING -d 192.0.2.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination "
                       "10.0.0.5:80\n";
    for (int i = 0; i < clients; ++i)
        text += fmt::format("-A POSTROUTING -s 10.0.{}.{} -p tcp -j SNAT --to-source 192.0.2.1:{}-{}\n", i / 250,
                            i % 250 + 1, 1024 + 16 * i, 1024 + 16 * i + 15);
    text += "-A POSTROUTING ! -s 10.9.0.0/16 -o eth0 -j MASQUERADE\nCOMMIT\n";
    return text;
}

} // namespace

TEST_CASE("rule blocks: every field of every rule comes back, in order, across blocks")
{
    auto parsed = many_rules(1100);
    test::IndexFixture f;
    f.snapshot("n", 1600000000, parsed);
    REQUIRE(f.index({"n"}).indexed == 1);
    // 1,102 rules: three blocks of at most k_block_rules.
    CHECK(f.count("SELECT count(*) FROM rule_block") == 3);
    CHECK(f.count("SELECT max(last_position - first_position + 1) FROM rule_block") ==
          static_cast<std::int64_t>(k_block_rules));
    RuleBlocks blocks(f.db());
    auto all = blocks.all(1);
    REQUIRE(all.size() == 1102);
    for (std::size_t i = 0; i < all.size(); ++i)
        CHECK(all[i].position == static_cast<int>(i));
    CHECK(all[0].target == "DNAT");
    CHECK(all[700].text == "-A POSTROUTING -s 10.0.2.200 -p tcp -j SNAT --to-source 192.0.2.1:12208-12223");
    CHECK(all[700].to_ports == PortRange{12208, 12223});
    CHECK(all[1101].source.negated);
    CHECK(all[1101].conditions == std::vector<std::string>{"-o eth0"});

    SUBCASE("a rule by position, from any block")
    {
        CHECK(blocks.at(1, 700).line == all[700].line);
        CHECK(blocks.at(1, 3).text == all[3].text);
        CHECK(blocks.at(1, 1101).target == "MASQUERADE");
        CHECK_THROWS_AS(blocks.at(1, 1102), IndexDamaged);
        CHECK_THROWS_AS(blocks.at(2, 0), IndexDamaged);
    }
    SUBCASE("rules whose source holds an address: any source, the host's own and the negated one")
    {
        std::vector<Rule> out;
        blocks.holding_source(1, 0x0A0002C8u /* 10.0.2.200 */, out);
        REQUIRE(out.size() == 3);
        CHECK(out[0].position == 0); // the DNAT rule names no source
        CHECK(out[1].position == 700);
        CHECK(out[2].position == 1101);
        out.clear();
        blocks.holding_source(1, 0x0A090001u /* 10.9.0.1: inside the negated /16 */, out);
        REQUIRE(out.size() == 1);
        CHECK(out[0].position == 0);
    }
    SUBCASE("rules an inbound lookup reads")
    {
        std::vector<Rule> out;
        blocks.inbound(1, out);
        REQUIRE(out.size() == 1);
        CHECK(out[0].target == "DNAT");
    }
}

TEST_CASE("rule blocks: the summary a block's row keeps")
{
    Rule host, wide, dnat;
    host.position = 0;
    host.source = {{0x0A000005u, 0x0A000005u}, false};
    host.target = "SNAT";
    wide.position = 1;
    wide.source = {{0x0A000000u, 0x0A0000FFu}, false};
    wide.target = "SNAT";
    dnat.position = 2;
    dnat.source = {{0x0A000002u, 0x0A000002u}, false};
    dnat.target = "DNAT";
    auto blocks = encode_rule_blocks({host, wide, dnat});
    REQUIRE(blocks.size() == 1);
    const auto& s = blocks[0].summary;
    CHECK(s.first_position == 0);
    CHECK(s.last_position == 2);
    REQUIRE(s.hosts);
    CHECK(*s.hosts == std::pair<Ipv4, Ipv4>{0x0A000002u, 0x0A000005u});
    CHECK(s.wide);
    CHECK(s.inbound);
    CHECK(encode_rule_blocks({}).empty());
}

TEST_CASE("rule blocks: damage is refused, never misread")
{
    Rule r;
    r.text = "-A POSTROUTING -j MASQUERADE";
    r.chain = "POSTROUTING";
    r.target = "MASQUERADE";
    auto body = encode_rule_blocks({r, r}).at(0).body;
    CHECK(decode_rule_block(body).size() == 2);
    std::string flipped = body;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x20);
    CHECK_THROWS_AS(decode_rule_block(flipped), Error);
    CHECK_THROWS_AS(decode_rule_block(body.substr(0, body.size() - 3)), Error);
    CHECK_THROWS_AS(decode_rule_block(""), Error);
}
