// nft -j JSON: expressions written back as nft's own text, the document's
// tables, chains, sets and maps, lines for evidence, and every refusal
// (not JSON, not a ruleset, commands, iptables-nft targets, wrong types).
#include "derive/first_match.hpp"
#include "derive/first_match6.hpp"
#include "parse/nft_json.hpp"
#include "parse/nft_json_text.hpp"
#include "parse/nft_ruleset.hpp"
#include "parse/snapshot_reader.hpp"
#include "util/file.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

using namespace natfw;
using nlohmann::json;

namespace {

std::string statement(const char* text) { return nft_json_statement(json::parse(text)); }

/// A ruleset of one nat chain `p` in `table ip t` with `rules` (JSON expr arrays).
std::string one_chain(const std::vector<std::string>& rules, const std::string& extra = "")
{
    std::string out = R"({"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}},
{"table": {"family": "ip", "name": "t", "handle": 1}},
{"chain": {"family": "ip", "table": "t", "name": "p", "handle": 1, "type": "nat", "hook": "postrouting", "prio": 100, "policy": "accept"}})";
    out += extra;
    int handle = 2;
    for (const auto& r : rules)
        out += ",\n" + std::string(R"({"rule": {"family": "ip", "table": "t", "chain": "p", "handle": )") +
               std::to_string(handle++) + R"(, "expr": )" + r + "}}";
    return out + "\n]}\n";
}

} // namespace

TEST_CASE("nft_json_statement: each form as nft list ruleset prints it")
{
    CHECK(statement(R"({"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
                        "right": {"prefix": {"addr": "10.0.0.0", "len": 24}}}})") == "ip saddr 10.0.0.0/24");
    CHECK(statement(R"({"match": {"op": "!=", "left": {"payload": {"protocol": "ip", "field": "saddr"}},
                        "right": {"range": ["10.1.0.0", "10.1.0.127"]}}})") == "ip saddr != 10.1.0.0-10.1.0.127");
    CHECK(statement(R"({"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": {"set": ["tcp", "udp"]}}})") ==
          "meta l4proto { tcp, udp }");
    CHECK(statement(R"({"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth0"}})") ==
          "oifname \"eth0\"");
    CHECK(statement(R"({"match": {"op": "==", "left": {"meta": {"key": "iifname"}}, "right": {"set": ["tun*", "wg0"]}}})") ==
          "iifname { \"tun*\", \"wg0\" }");
    CHECK(statement(R"({"match": {"op": "in", "left": {"payload": {"protocol": "tcp", "field": "flags"}}, "right": "syn"}})") ==
          "tcp flags syn");
    CHECK(statement(R"({"match": {"op": "<", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 1024}})") ==
          "tcp dport < 1024");
    CHECK(statement(R"({"counter": {"packets": 7, "bytes": 420}})") == "counter");
    CHECK(statement(R"({"jump": {"target": "clients"}})") == "jump clients");
    CHECK(statement(R"({"accept": null})") == "accept");
    CHECK(statement(R"({"snat": {"addr": "192.0.2.1", "port": {"range": [65280, 65535]}}})") ==
          "snat to 192.0.2.1:65280-65535");
    CHECK(statement(R"({"snat": {"family": "ip", "addr": {"range": ["192.0.2.1", "192.0.2.2"]}, "port": 4000,
                        "flags": ["random", "persistent"]}})") == "snat ip to 192.0.2.1-192.0.2.2:4000 random,persistent");
    CHECK(statement(R"({"snat": {"family": "ip6", "addr": "2001:db8::1", "port": {"range": [1024, 2047]}}})") ==
          "snat ip6 to [2001:db8::1]:1024-2047");
    CHECK(statement(R"({"snat": {"family": "ip", "addr": {"map": {"key": {"payload": {"protocol": "ip", "field": "saddr"}},
                        "data": "@blocks"}}}})") == "snat ip to ip saddr map @blocks");
    CHECK(statement(R"({"snat": {"addr": {"map": {"key": {"payload": {"protocol": "ip", "field": "saddr"}},
                        "data": {"set": [["10.0.0.2", {"concat": ["192.0.2.1", {"range": [4000, 4001]}]}]]}}}}})") ==
          "snat to ip saddr map { 10.0.0.2 : 192.0.2.1 . 4000-4001 }");
    CHECK(statement(R"({"masquerade": null})") == "masquerade");
    CHECK(statement(R"({"masquerade": {"port": {"range": [20000, 29999]}, "flags": "random"}})") ==
          "masquerade to :20000-29999 random");
    CHECK(statement(R"({"dnat": {"addr": "10.0.0.9", "port": 22}})") == "dnat to 10.0.0.9:22");
    CHECK(statement(R"({"vmap": {"key": {"ct": {"key": "state"}}, "data": {"set": [["established", {"accept": null}],
                        ["invalid", {"drop": null}]]}}})") == "ct state vmap { established : accept, invalid : drop }");
    CHECK(statement(R"({"mangle": {"key": {"meta": {"key": "mark"}}, "value": 1}})") == "meta mark set 1");
    CHECK(statement(R"({"xt": {"type": "match", "name": "comment"}})") == "xt match \"comment\"");
    CHECK(statement(R"({"limit": {"rate": 10, "per": "second"}})") == "limit");
}

TEST_CASE("parse_nft_json: a listed ruleset, its lines and handles")
{
    auto doc = parse_nft_json(one_chain(
        {R"([{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "10.0.0.2"}},
             {"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}},
             {"counter": {"packets": 0, "bytes": 0}}, {"snat": {"addr": "192.0.2.1", "port": {"range": [65280, 65535]}}}])",
         R"([{"match": {"op": "==", "left": {"meta": {"key": "oifname"}}, "right": "eth0"}}, {"masquerade": null}])"}));
    REQUIRE_FALSE(doc.unusable);
    CHECK(doc.warnings.empty());
    REQUIRE(doc.tables.size() == 1);
    const auto* p = doc.tables[0].chain("p");
    REQUIRE(p);
    CHECK(p->hook == "postrouting");
    CHECK(p->priority == 100);
    REQUIRE(p->rules.size() == 2);
    CHECK(p->rules[0].text == "ip saddr 10.0.0.2 meta l4proto tcp counter snat to 192.0.2.1:65280-65535 # handle 2");
    CHECK(p->rules[0].line == 4); // the line its object starts on
    CHECK(p->rules[1].line == 7);
    auto nat = nft_nat(doc);
    REQUIRE_FALSE(nat.unusable);
    auto m = evaluate_first_match(nat.nat_rules);
    REQUIRE(nat.nat_rules.size() == 3);
    CHECK(nat.nat_rules[1].to_ports == PortRange{65280, 65535});
    CHECK(m.at({2, k_proto_tcp}).reach.describe() == "0.0.0.0-10.0.0.1, 10.0.0.3-255.255.255.255");
}

TEST_CASE("parse_nft_json: named sets and maps")
{
    auto doc = parse_nft_json(one_chain(
        {R"([{"match": {"op": "==", "left": {"meta": {"key": "l4proto"}}, "right": "tcp"}},
             {"snat": {"family": "ip", "addr": {"map": {"key": {"payload": {"protocol": "ip", "field": "saddr"}}, "data": "@blocks"}}}}])",
         R"([{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@pool"}}, {"masquerade": null}])"},
        R"(,
{"map": {"family": "ip", "name": "blocks", "table": "t", "type": "ipv4_addr", "map": "ipv4_addr . inet_service",
  "flags": ["interval"], "elem": [["10.42.0.2", {"concat": ["192.0.2.1", {"range": [65280, 65535]}]}]]}},
{"set": {"family": "ip", "name": "pool", "table": "t", "type": "ipv4_addr", "flags": ["interval"],
  "elem": [{"prefix": {"addr": "10.8.0.0", "len": 24}}, {"elem": {"val": "10.9.0.1", "comment": "one"}}]}})"));
    REQUIRE_FALSE(doc.unusable);
    const auto* blocks = doc.tables[0].set("blocks");
    REQUIRE(blocks);
    CHECK(blocks->map);
    CHECK(blocks->flags == std::vector<std::string>{"interval"});
    REQUIRE(blocks->elements.size() == 1);
    CHECK(blocks->elements[0].size() == 5); // 10.42.0.2 : 192.0.2.1 . 65280-65535
    REQUIRE(doc.tables[0].set("pool"));
    CHECK(doc.tables[0].set("pool")->elements.size() == 2);
    auto nat = nft_nat(doc);
    REQUIRE_FALSE(nat.unusable);
    CHECK(nat.warnings.empty());
    auto m = evaluate_first_match(nat.nat_rules);
    CHECK(m.at({1, k_proto_tcp}).reach.describe() == "10.42.0.2");
    CHECK(nat.nat_rules[1].to_ports == PortRange{65280, 65535});
    // One Rule per element of the set.
    CHECK(m.at({2, k_proto_tcp}).reach.describe() == "10.8.0.0/24");
    CHECK(m.at({3, k_proto_tcp}).reach.describe() == "10.9.0.1");
}

TEST_CASE("parse_nft_json: what it refuses, and why")
{
    struct Case {
        std::string content, message;
        int line;
    };
    auto rule_of_chain_q = one_chain({R"([{"counter": null}])"});
    rule_of_chain_q.replace(rule_of_chain_q.find(R"("chain": "p")"), 12, R"("chain": "q")");
    std::vector<Case> cases{
        {"{\"nftables\": [\n{\"table\": }]}", "not valid JSON: ", 2},
        {"{\"nftables\": [1e1111]}", "not the JSON nft -j list ruleset prints: number overflow parsing '1e1111'", 1},
        {"[1, 2]", "JSON, but not an nft ruleset: nft -j list ruleset prints an object with an \"nftables\" array", 1},
        {"{\"nftables\": {}}", "JSON, but not an nft ruleset", 1},
        {"{\"nftables\": [\n{\"add\": {\"table\": {\"family\": \"ip\", \"name\": \"t\"}}}]}",
         "\"add\" is an nft -j command, not what nft -j list ruleset prints; index the listed ruleset", 2},
        {"{\"nftables\": [\n{\"chain\": {\"family\": \"ip\", \"table\": \"t\", \"name\": \"p\"}}]}",
         "chain p of table ip t, which the file does not list", 2},
        {rule_of_chain_q,
         "a rule of chain q, which table ip t does not list", 4},
        {one_chain({R"([{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "10.0.0.2"}},
                       {"xt": {"type": "target", "name": "SNAT"}}])"}),
         "the rule with handle 2 in ip t p is iptables-nft's SNAT target, which nft -j prints without its address and "
         "ports; index what nft list ruleset or iptables-save prints instead",
         4},
        {"{\"nftables\": [{\"table\": {\"family\": 4, \"name\": \"t\"}}, {\"chain\": {\"family\": \"ip\", \"table\": "
         "\"t\", \"name\": \"p\", \"hook\": \"postrouting\", \"prio\": \"srcnat\"}}]}",
         "chain p of table ip t, which the file does not list", 1},
        {"{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\"}}, {\"chain\": {\"family\": \"ip\", \"table\": "
         "\"t\", \"name\": \"p\", \"hook\": \"postrouting\", \"prio\": \"srcnat\"}}]}",
         "base chain p has no numeric \"prio\"", 1},
        {"{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\"}}, {\"rule\": {\"family\": \"ip\", \"table\": "
         "\"t\", \"chain\": \"p\", \"expr\": [{\"xt\": {\"type\": 5}}]}}]}",
         "a rule of chain p, which table ip t does not list", 1},
        {"{\"nftables\": [{\"table\": {\"family\": \"ip\", \"name\": \"t\"}}, {\"chain\": {\"family\": \"ip\", \"table\": "
         "\"t\", \"name\": \"p\"}}, {\"rule\": {\"family\": \"ip\", \"table\": \"t\", \"chain\": \"p\", \"expr\": "
         "[{\"xt\": {\"type\": 5}}]}}]}",
         "not the JSON nft -j list ruleset prints: ", 1},
    };
    for (const auto& c : cases) {
        CAPTURE(c.content);
        auto doc = parse_nft_json(c.content);
        REQUIRE(doc.unusable);
        CHECK(doc.unusable->message.starts_with(c.message));
        CHECK(doc.unusable->line == c.line);
    }
}

TEST_CASE("parse_nft_json: what it reads with a warning")
{
    // An iptables-nft match (xt) and an unknown statement leave the rule "may match".
    auto doc = parse_nft_json(one_chain(
        {R"([{"xt": {"type": "match", "name": "comment"}}, {"snat": {"addr": "192.0.2.1"}}])",
         R"([{"limit": {"rate": 10, "per": "second"}}, {"masquerade": null}])"},
        ",\n{\"flowtable\": {\"family\": \"ip\", \"name\": \"f\", \"table\": \"t\"}},\n{\"gadget\": {\"x\": 1}}"));
    REQUIRE_FALSE(doc.unusable);
    REQUIRE(doc.warnings.size() == 1);
    CHECK(doc.warnings[0].message == "\"gadget\" objects are not read; ignored");
    CHECK(doc.warnings[0].line == 5);
    auto nat = nft_nat(doc);
    REQUIRE_FALSE(nat.unusable);
    REQUIRE(nat.warnings.size() == 3);
    CHECK(nat.warnings[1].message == "\"xt match \"comment\"\" is not understood; the rule may match");
    CHECK(nat.warnings[1].line == 6);
    CHECK(nat.warnings[2].message == "\"limit\" is not understood; the rule may match");
    REQUIRE(nat.nat_rules.size() == 3);
    CHECK(nat.nat_rules[1].conditions.size() == 1);
}

TEST_CASE("parse_nft_json: the fixtures nft 1.0.6 listed read like their text twins")
{
    const auto dir = std::filesystem::path(NATFW_TEST_DATA) / "nft";
    for (const char* stem : {"eduvpn3-natfw.listed", "list-ruleset.listed", "commands.listed", "ipv6.listed"})
    for (auto family : {Family::ipv4, Family::ipv6}) {
        CAPTURE(std::string(stem));
        CAPTURE(family == Family::ipv4 ? "IPv4" : "IPv6");
        auto text = nft_nat(parse_nft_document(read_file(dir / (std::string(stem) + ".nft"))), family);
        auto json_doc = nft_nat(parse_nft_json(read_file(dir / (std::string(stem) + ".json"))), family);
        REQUIRE_FALSE(json_doc.unusable);
        CHECK(json_doc.warnings.empty());
        REQUIRE(text.nat_rules.size() == json_doc.nat_rules.size());
        // Reach per (rule, protocol), described: what answers are made of.
        auto reaches = [&](const std::vector<Rule>& rules) {
            std::map<std::pair<int, int>, std::string> out;
            if (family == Family::ipv4)
                for (const auto& [key, hit] : evaluate_first_match(rules))
                    out[key] = hit.reach.describe();
            else
                for (const auto& [key, hit] : evaluate_first_match6(rules))
                    out[key] = describe_ranges(hit.reach);
            return out;
        };
        CHECK(reaches(text.nat_rules) == reaches(json_doc.nat_rules));
        for (std::size_t i = 0; i < text.nat_rules.size(); ++i) {
            const auto& x = text.nat_rules[i];
            const auto& y = json_doc.nat_rules[i];
            CAPTURE(x.text);
            CAPTURE(y.text);
            CHECK(x.chain == y.chain);
            CHECK(x.target == y.target);
            CHECK(x.to_addresses == y.to_addresses);
            CHECK(x.to_ports == y.to_ports);
            CHECK(describe_source(x, family) == describe_source(y, family));
            CHECK(x.to_addresses6 == y.to_addresses6);
            CHECK(x.conditions.size() == y.conditions.size());
        }
    }
}

TEST_CASE("iptables-nft: nft lists its rules natively in text, but as xt targets without mappings in JSON")
{
    // What nft 1.0.6 printed after iptables-nft-restore loaded iptables-nft.rules.v4.
    const auto dir = std::filesystem::path(NATFW_TEST_DATA) / "nft";
    auto source = read_file(dir / "iptables-nft.rules.v4");
    auto text = read_file(dir / "iptables-nft.listed.nft");
    auto mappings = [](const std::string& content) {
        auto parsed = read_snapshot(content, detect_snapshot_format(content));
        REQUIRE_FALSE(parsed.unusable);
        std::multiset<std::string> out;
        for (const auto& [key, hit] : evaluate_first_match(parsed.nat_rules)) {
            const auto& r = parsed.nat_rules[static_cast<std::size_t>(key.first)];
            if (r.target == "SNAT" && !hit.reach.empty())
                out.insert(fmt::format("{} {} -> {}:{}-{} ({} conditions)", hit.reach.describe(), key.second,
                                       format_ipv4_range(*r.to_addresses), r.to_ports->lo, r.to_ports->hi,
                                       r.conditions.size()));
        }
        return out;
    };
    auto expected = mappings(source);
    CHECK(expected.size() == 5); // the SNAT rules some source still reaches (tcp only)
    CHECK(mappings(text) == expected);

    auto listed_json = parse_nft_json(read_file(dir / "iptables-nft.listed.json"));
    REQUIRE(listed_json.unusable);
    CHECK(listed_json.unusable->message.find("is iptables-nft's SNAT target, which nft -j prints without its address and "
                                      "ports; index what nft list ruleset or iptables-save prints instead") !=
          std::string::npos);
}
