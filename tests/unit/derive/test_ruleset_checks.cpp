#include "derive/nat_cells.hpp"
#include "derive/ruleset_checks.hpp"
#include "parse/ruleset_parser.hpp"

#include <doctest/doctest.h>

#include <string>

using namespace natfw;

namespace {

/// The checks of a *nat table, each as "LINE: MESSAGE" (0 for the whole file).
std::vector<std::string> checks_of(const std::string& body, const std::string& chains = "")
{
    auto parsed = parse_ruleset("*nat\n:POSTROUTING ACCEPT [0:0]\n" + chains + body + "COMMIT\n");
    if (parsed.unusable)
        FAIL(parsed.unusable->line, ": ", parsed.unusable->message);
    auto derived = derive_ruleset(parsed.nat_rules);
    std::vector<std::string> out;
    for (const auto& d : check_ruleset(parsed.nat_rules, derived.reach, derived.cells)) {
        CHECK(d.kind == DiagnosticKind::check);
        out.push_back(std::to_string(d.line) + ": " + d.message);
    }
    return out;
}

} // namespace

TEST_CASE("check_ruleset")
{
    SUBCASE("a clean seed-style ruleset has no findings")
    {
        CHECK(checks_of("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"
                        "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:65024-65279\n")
                  .empty());
    }
    SUBCASE("a rule shadowed by an earlier one never applies")
    {
        auto found = checks_of("-A POSTROUTING -s 10.0.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"
                               "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n");
        REQUIRE(found.size() == 1);
        CHECK(found[0] == "4: SNAT never applies: earlier rules (line 3) take every source it names");
    }
    SUBCASE("a rule in a chain nothing jumps to never applies")
    {
        auto found = checks_of("-A orphan -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n",
                               ":orphan - [0:0]\n");
        REQUIRE(found.size() == 1);
        CHECK(found[0] == "4: SNAT never applies: nothing in POSTROUTING leads to chain orphan");
    }
    SUBCASE("two sources given the same port block")
    {
        auto found = checks_of("-A POSTROUTING -s 10.0.0.2 -p tcp -o eth0 -j SNAT --to-source 192.0.2.1:2000-2999\n"
                               "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:2500-3499\n");
        REQUIRE(found.size() == 1);
        CHECK(found[0] == "4: lines 3 and 4 both give 192.0.2.1 tcp port 2500-2999 to different sources "
                          "(10.0.0.2, 10.0.0.3): such an answer can only be ambiguous");
    }
    SUBCASE("blocks in the kernel's ephemeral range, counted once")
    {
        auto found = checks_of("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:40000-40999\n"
                               "-A POSTROUTING -s 10.0.0.3 -p tcp -j SNAT --to-source 192.0.2.1:60999-61999\n"
                               "-A POSTROUTING -s 10.0.0.4 -p tcp -j SNAT --to-source 192.0.2.1:62000-62999\n");
        REQUIRE(found.size() == 1);
        CHECK(found[0] == "0: 2 port block(s) (lines 3 to 4) lie in 32768-60999, Linux's default ephemeral range: "
                          "the NAT host's own connections may use those public ports too");
    }
    SUBCASE("at most ten findings of a kind, then a count")
    {
        std::string body = "-A POSTROUTING -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n";
        for (int i = 0; i < 12; ++i)
            body += "-A POSTROUTING -s 10.0.0." + std::to_string(i + 2) +
                    " -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n";
        auto found = checks_of(body);
        REQUIRE(found.size() == 11);
        CHECK(found[9] == "13: SNAT never applies: earlier rules (line 3) take every source it names");
        CHECK(found[10] == "0: 2 more rules that never apply not listed");
    }
}
