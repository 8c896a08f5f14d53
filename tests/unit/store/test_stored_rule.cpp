#include "index_fixture.hpp"
#include "parse/ruleset_parser.hpp"
#include "store/rule_blocks.hpp"
#include "store/stored_rule.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

const char* k_rules = "*nat\n"
                      ":PREROUTING ACCEPT [0:0]\n"
                      ":POSTROUTING ACCEPT [0:0]\n"
                      ":vpn - [0:0]\n"
                      "-A PREROUTING -d 192.0.2.1/32 -p tcp -m tcp --dport 8080 -j DNAT --to-destination 10.0.0.5:80\n"
                      "-A POSTROUTING -s 10.0.0.0/24 -g vpn\n"
                      "-A POSTROUTING ! -s 10.9.0.0/16 -p udp -o eth0 -j MASQUERADE --to-ports 1024-2047\n"
                      "-A POSTROUTING ! -p tcp -m comment --comment \"not -g here\" -j SNAT --to-source "
                      "192.0.2.2-192.0.2.3\n"
                      "-A vpn -s 10.0.0.2/32 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"
                      "COMMIT\n";

void check_same(const Rule& a, const Rule& b)
{
    INFO("line ", a.line, ": ", a.text);
    CHECK(a.position == b.position);
    CHECK(a.line == b.line);
    CHECK(a.chain == b.chain);
    CHECK(a.target == b.target);
    CHECK(a.goto_chain == b.goto_chain);
    CHECK(a.proto == b.proto);
    CHECK(a.proto_negated == b.proto_negated);
    CHECK(a.source == b.source);
    CHECK(a.to_addresses == b.to_addresses);
    CHECK(a.to_ports == b.to_ports);
    CHECK(a.conditions == b.conditions);
    CHECK(a.text == b.text);
}

} // namespace

TEST_CASE("stored rules, read back from their blocks")
{
    SUBCASE("every field comes back as parsed, the -g flag included")
    {
        auto parsed = parse_ruleset(k_rules);
        if (parsed.unusable)
            FAIL(parsed.unusable->line, ": ", parsed.unusable->message);
        REQUIRE(parsed.nat_rules.size() == 5);
        test::IndexFixture f;
        f.snapshot("n", 1600000000, k_rules);
        REQUIRE(f.index({"n"}).indexed == 1);
        std::vector<Rule> stored = RuleBlocks(f.db()).all(1);
        REQUIRE(stored.size() == parsed.nat_rules.size());
        for (std::size_t i = 0; i < stored.size(); ++i)
            check_same(stored[i], parsed.nat_rules[i]);
        CHECK(stored[1].goto_chain);
        CHECK_FALSE(stored[3].goto_chain); // "-g" inside a comment
        CHECK(stored[2].source.negated);
        CHECK(stored[2].conditions == std::vector<std::string>{"-o eth0"});
    }
}

TEST_CASE("continues_with_goto")
{
    CHECK(continues_with_goto("-A POSTROUTING -s 10.0.0.0/8 -g vpn"));
    CHECK(continues_with_goto("-A POSTROUTING --goto vpn"));
    CHECK_FALSE(continues_with_goto("-A POSTROUTING -j vpn"));
    CHECK_FALSE(continues_with_goto("-A POSTROUTING -m comment --comment \"-g x\" -j vpn"));
    CHECK_FALSE(continues_with_goto("-A POSTROUTING -m comment --comment -g-later -j vpn"));
}
