// The structure of nftables files: nested blocks as printed and written,
// one-line commands, sets and maps, priorities, and the faults nft refuses.
#include "parse/nft_document.hpp"
#include "util/file.hpp"
#include "nft_fixtures.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace natfw;

namespace {

std::string words(const std::vector<NftToken>& tokens)
{
    std::string out;
    for (const auto& t : tokens)
        out += (out.empty() ? "" : " ") + t.text;
    return out;
}

// The shape eduVPN 3 ships (/etc/nftables.conf), with a table of per-client
// port blocks ahead of its masquerade.
constexpr const char* k_eduvpn_like = R"(#!/usr/sbin/nft -f
flush ruleset

define EXTERNAL_IF = "eth0"

table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		iifname "lo" accept
	}
}

table inet nat {
	chain postrouting {
		type nat hook postrouting priority srcnat; policy accept;
		ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 } oifname $EXTERNAL_IF masquerade
		ip6 saddr fc00::/7 oifname $EXTERNAL_IF masquerade
	}
}

table ip natfw {
	map blocks {
		type ipv4_addr : ipv4_addr . inet_service
		flags interval
		elements = { 10.42.0.2 : 192.0.2.1 . 65280-65535,
			     10.42.0.3 : 192.0.2.1 . 65024-65279 }
	}
	chain postrouting {
		type nat hook postrouting priority srcnat - 10; policy accept;
		meta l4proto { tcp, udp } snat ip to ip saddr map @blocks
	}
}
)";

} // namespace

TEST_CASE("parse_nft_document: nested blocks")
{
    auto doc = parse_nft_document(k_eduvpn_like);
    REQUIRE_FALSE(doc.unusable);
    CHECK(doc.warnings.empty());
    CHECK(doc.flushes_ruleset);
    REQUIRE(doc.tables.size() == 3);

    auto* nat = doc.table("inet", "nat");
    REQUIRE(nat);
    CHECK(nat->line == 13);
    REQUIRE(nat->chains.size() == 1);
    const auto& post = nat->chains[0];
    CHECK(post.is_base());
    CHECK(post.type == "nat");
    CHECK(post.hook == "postrouting");
    CHECK(post.priority == 100);
    CHECK(post.priority_text == "srcnat");
    REQUIRE(post.rules.size() == 2);
    CHECK(post.rules[0].line == 16);
    // The evidence is the file's own text; the tokens have the define applied.
    CHECK(post.rules[0].text ==
          "ip saddr { 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 } oifname $EXTERNAL_IF masquerade");
    CHECK(words(post.rules[0].tokens) ==
          "ip saddr { 10.0.0.0/8 , 172.16.0.0/12 , 192.168.0.0/16 } oifname eth0 masquerade");

    auto* natfw = doc.table("ip", "natfw");
    REQUIRE(natfw);
    REQUIRE(natfw->chains.size() == 1);
    CHECK(natfw->chains[0].priority == 90);
    CHECK(natfw->chains[0].priority_text == "srcnat - 10");
    auto* blocks = natfw->set("blocks");
    REQUIRE(blocks);
    CHECK(blocks->map);
    CHECK(words(blocks->type) == "ipv4_addr : ipv4_addr . inet_service");
    CHECK(blocks->flags == std::vector<std::string>{"interval"});
    REQUIRE(blocks->elements.size() == 2);
    CHECK(words(blocks->elements[1]) == "10.42.0.3 : 192.0.2.1 . 65024-65279");
    CHECK(blocks->elements[1][0].line == 26);

    auto* filter = doc.table("inet", "filter");
    REQUIRE(filter);
    CHECK(filter->chains[0].hook == "input");
    CHECK(filter->chains[0].priority == 0);
}

TEST_CASE("parse_nft_document: what nft list ruleset prints")
{
    auto doc = parse_nft_document("table ip nat {\n"
                                  "\tchain POSTROUTING {\n"
                                  "\t\ttype nat hook postrouting priority srcnat; policy accept;\n"
                                  "\t\tip saddr 10.0.0.2 meta l4proto tcp counter packets 0 bytes 0 snat to "
                                  "192.0.2.1:65280-65535 # handle 4\n"
                                  "\t\tjump clients\n"
                                  "\t}\n"
                                  "\tchain clients {\n"
                                  "\t\tip saddr 10.0.0.0/24 return\n"
                                  "\t}\n"
                                  "}\n");
    REQUIRE_FALSE(doc.unusable);
    REQUIRE(doc.tables.size() == 1);
    CHECK_FALSE(doc.flushes_ruleset);
    const auto& t = doc.tables[0];
    CHECK(t.family == "ip");
    REQUIRE(t.chains.size() == 2);
    REQUIRE(t.chains[0].rules.size() == 2);
    CHECK(t.chains[0].rules[0].text ==
          "ip saddr 10.0.0.2 meta l4proto tcp counter packets 0 bytes 0 snat to 192.0.2.1:65280-65535");
    CHECK(t.chains[1].name == "clients");
    CHECK_FALSE(t.chains[1].is_base());
    CHECK(t.chains[1].rules[0].line == 8);
}

TEST_CASE("parse_nft_document: one-line commands and one-line blocks")
{
    auto doc = parse_nft_document(
        "add table nat\n"
        "add chain nat post { type nat hook postrouting priority 100 ; }\n"
        "add rule nat post ip saddr 10.0.0.2 snat to 192.0.2.1\n"
        "insert rule nat post oifname lo accept\n"
        "add set nat clients { type ipv4_addr; flags interval; }\n"
        "add element nat clients { 10.1.0.0/24, 10.2.0.0/24 }\n"
        "add rule ip nat post position 3 counter\n"
        "table ip6 nat { chain post { type nat hook postrouting priority -5; masquerade; }; }\n"
        "delete rule ip nat post handle 7\n");
    REQUIRE_FALSE(doc.unusable);
    auto* nat = doc.table("ip", "nat");
    REQUIRE(nat);
    auto* post = nat->chain("post");
    REQUIRE(post);
    CHECK(post->priority == 100);
    REQUIRE(post->rules.size() == 3);
    CHECK(post->rules[0].text == "oifname lo accept"); // inserted at the start
    CHECK(post->rules[1].text == "ip saddr 10.0.0.2 snat to 192.0.2.1");
    CHECK(words(post->rules[2].tokens) == "counter");
    auto* clients = nat->set("clients");
    REQUIRE(clients);
    CHECK_FALSE(clients->map);
    CHECK(clients->elements.size() == 2);
    auto* nat6 = doc.table("ip6", "nat");
    REQUIRE(nat6);
    REQUIRE(nat6->chains.size() == 1);
    CHECK(nat6->chains[0].priority == -5);
    REQUIRE(nat6->chains[0].rules.size() == 1);
    CHECK(nat6->chains[0].rules[0].text == "masquerade");
    REQUIRE(doc.warnings.size() == 2);
    CHECK(doc.warnings[0].line == 7);
    CHECK(doc.warnings[0].message == "add rule post: placed at the chain's end, not at position 3");
    CHECK(doc.warnings[1].line == 9);
    CHECK(doc.warnings[1].message == "delete rule: not followed; the rules read may include what it removes");
}

TEST_CASE("parse_nft_document: flush, delete, include")
{
    auto doc = parse_nft_document("table ip old { chain c { masquerade; }; }\n"
                                  "flush ruleset\n"
                                  "table ip a { chain c { counter; }; }\n"
                                  "table ip b { chain c { counter; }; }\n"
                                  "delete table ip b\n"
                                  "flush table ip a\n"
                                  "include \"/etc/nftables.d/*.nft\"\n");
    REQUIRE_FALSE(doc.unusable);
    CHECK_FALSE(doc.flushes_ruleset); // something came before the flush
    REQUIRE(doc.tables.size() == 1);
    CHECK(doc.tables[0].name == "a");
    CHECK(doc.tables[0].chains[0].rules.empty());
    REQUIRE(doc.warnings.size() == 1);
    CHECK(doc.warnings[0].line == 7);
    CHECK(doc.warnings[0].message ==
          "include \"/etc/nftables.d/*.nft\": the included rules are not part of this snapshot, so not of its evidence");
}

TEST_CASE("parse_nft_document: sets and maps in the table and in rules")
{
    auto doc = parse_nft_document("table inet t {\n"
                                  "  set nets { type ipv4_addr; flags interval; elements = { 10.0.0.0/8,\n"
                                  "      192.168.0.0-192.168.0.255 } }\n"
                                  "  counter hits { packets 0 bytes 0 }\n"
                                  "  flowtable f { hook ingress priority 0; devices = { eth0 }; }\n"
                                  "  chain c {\n"
                                  "    type nat hook postrouting priority 100\n"
                                  "    ip saddr @nets meta l4proto { tcp,\n"
                                  "       udp } masquerade to :1024-2047\n"
                                  "  }\n"
                                  "}\n");
    REQUIRE_FALSE(doc.unusable);
    auto& t = doc.tables[0];
    REQUIRE(t.sets.size() == 1);
    CHECK(t.sets[0].elements.size() == 2);
    CHECK(words(t.sets[0].elements[1]) == "192.168.0.0-192.168.0.255");
    REQUIRE(t.chains.size() == 1);
    REQUIRE(t.chains[0].rules.size() == 1);
    const auto& r = t.chains[0].rules[0];
    CHECK(r.line == 8);
    CHECK(r.last_line == 9);
    CHECK(words(r.tokens) == "ip saddr @nets meta l4proto { tcp , udp } masquerade to :1024-2047");
    CHECK(r.text == "ip saddr @nets meta l4proto { tcp,        udp } masquerade to :1024-2047");
}

TEST_CASE("parse_nft_document: faults")
{
    struct Case {
        const char* file;
        int line;
        const char* message;
    };
    const Case cases[] = {
        {"table ip nat {\n chain post {\n", 2, "chain post is not closed"},
        {"table ip nat {\n", 1, "table nat is not closed"},
        {"}\n", 1, "a \"}\" closes nothing"},
        {"list ruleset\n", 1, "unknown command \"list\""},
        {"add rule ip nat post masquerade\n", 1, "table ip nat does not exist"},
        {"add table nat\nadd rule nat post masquerade\n", 2, "chain post does not exist in table ip nat"},
        {"add table nat\nadd element nat s { 1 }\n", 2, "set s does not exist in table ip nat"},
        {"table ip nat { chain c { type nat priority 100; } }\n", 1, "chain c: expected \"hook\" after its type"},
        {"table ip nat { chain c { type nat hook postrouting; } }\n", 1, "chain c: a base chain needs a priority"},
        {"table ip nat { chain c { type nat hook postrouting priority late; } }\n", 1,
         "chain c: priority \"late\" does not read"},
        {"table ip nat { bogus x }\n", 1, "unexpected \"bogus\" in table nat"},
        {"table ip nat { chain c { ip saddr { 10.0.0.1 masquerade } }\n", 1, "unexpected \"}\", expecting a line end or \";\""},
        // nft ends every item of a block with a line end or ";" (nft -c: "expecting newline or semicolon")
        {"table ip t { chain c { masquerade } }\n", 1, "unexpected \"}\", expecting a line end or \";\""},
        {"table ip t { chain c { masquerade; } }\n", 1, "unexpected \"}\", expecting a line end or \";\""},
        {"table ip t { flags dormant }\n", 1, "unexpected \"}\", expecting a line end or \";\""},
        {"table ip t { set s { type ipv4_addr } ; }\n", 1, "unexpected \"}\", expecting a line end or \";\""},
        {"table ip nat { set s { elements = { 1, 2 }\n", 1, "set s is not closed"},
        {"table ip nat { set s { elements = { 1, 2\n", 1, "a set's elements are not closed with \"}\""},
        {"table\n", 1, "expected a table name, found the line end"},
        {"table ip", 1, "expected a table name, found the end of the file"},
        {"add\n", 1, "expected table, chain, rule, set, map or element, found the line end"},
        {"flush ruleset now\n", 1, "unexpected \"now\""},
        {"define X = 1\ntable ip nat { chain c { snat to $Y } }\n", 2, "$Y is not defined"},
    };
    for (const auto& c : cases) {
        std::string file = c.file;
        CAPTURE(file);
        auto doc = parse_nft_document(c.file);
        REQUIRE(doc.unusable);
        CHECK(doc.unusable->line == c.line);
        CHECK(doc.unusable->message == c.message);
    }
    CHECK_FALSE(parse_nft_document("").unusable);
    CHECK(parse_nft_document("# nothing but a comment\n\n").tables.empty());
}

TEST_CASE("nft_priority_value")
{
    CHECK(nft_priority_value("100") == 100);
    CHECK(nft_priority_value("-100") == -100);
    CHECK(nft_priority_value("srcnat") == 100);
    CHECK(nft_priority_value("srcnat - 10") == 90);
    CHECK(nft_priority_value("dstnat+5") == -95);
    CHECK(nft_priority_value("filter") == 0);
    CHECK(nft_priority_value("raw") == -300);
    CHECK(nft_priority_value("mangle") == -150);
    CHECK(nft_priority_value("security") == 50);
    CHECK_FALSE(nft_priority_value(""));
    CHECK_FALSE(nft_priority_value("srcnat10"));
    CHECK_FALSE(nft_priority_value("late"));
    CHECK_FALSE(nft_priority_value("- -1"));
    CHECK_FALSE(nft_priority_value("99999999999"));
}

TEST_CASE("parse_nft_document: the nft fixtures")
{
    const auto dir = std::filesystem::path(NATFW_TEST_DATA) / "nft";

    auto eduvpn = parse_nft_document(read_file(dir / "eduvpn3-natfw.nftables.conf"));
    REQUIRE_FALSE(eduvpn.unusable);
    CHECK(eduvpn.warnings.empty());
    CHECK(eduvpn.flushes_ruleset);
    REQUIRE(eduvpn.tables.size() == 3);
    auto* natfw = eduvpn.table("ip", "natfw");
    REQUIRE(natfw);
    REQUIRE(natfw->chains.size() == 1);
    CHECK(natfw->chains[0].priority == 90);
    REQUIRE(natfw->chains[0].rules.size() == 2);
    CHECK(words(natfw->chains[0].rules[0].tokens) == "ip saddr 10.42.0.4 meta l4proto { tcp , udp } snat to "
                                                     "192.0.2.1:64768-65023");
    CHECK(natfw->set("blocks")->elements.size() == 2);
    CHECK(eduvpn.table("inet", "nat")->chains[0].priority == 100);

    auto listed = parse_nft_document(read_file(dir / "list-ruleset.nft"));
    REQUIRE_FALSE(listed.unusable);
    REQUIRE(listed.tables.size() == 2);
    CHECK(listed.tables[0].chains[0].rules.size() == 4);
    CHECK(listed.tables[0].chains[1].rules.size() == 2);
    CHECK(listed.tables[1].family == "ip6");
    CHECK(words(listed.tables[1].chains[0].rules[0].tokens) ==
          "ip6 saddr fd00:4242::/64 meta l4proto tcp snat to [2001:db8::1]:1024-2047");

    auto commands = parse_nft_document(read_file(dir / "commands.nft"));
    REQUIRE_FALSE(commands.unusable);
    auto* nat = commands.table("ip", "nat");
    REQUIRE(nat);
    REQUIRE(nat->chain("postrouting"));
    CHECK(nat->chain("postrouting")->rules.size() == 3);
    CHECK(nat->chain("postrouting")->rules[0].text == "counter");
    CHECK(nat->chain("clients")->rules.size() == 1);
    CHECK(nat->set("pool")->elements.size() == 2);
}

TEST_CASE("parse_nft_document: a file and what nft 1.0.6 listed after loading it have the same structure")
{
    for (const auto& pair : test::nft_fixture_pairs()) {
        // No structured binding: clang 14 refuses one inside CAPTURE's lambda.
        const auto& a = pair.source;
        const auto& b = pair.listed;
        CAPTURE(pair.name);
        REQUIRE_FALSE(a.unusable);
        REQUIRE_FALSE(b.unusable);
        CHECK(b.warnings.empty());
        REQUIRE(a.tables.size() == b.tables.size());
        for (const auto& ta : a.tables) {
            auto* tb = b.table(ta.family, ta.name);
            REQUIRE(tb);
            REQUIRE(ta.chains.size() == tb->chains.size());
            for (const auto& ca : ta.chains) {
                auto* cb = tb->chain(ca.name);
                REQUIRE(cb);
                CHECK(ca.hook == cb->hook);
                CHECK(ca.priority == cb->priority);
                CHECK(ca.rules.size() == cb->rules.size());
            }
            REQUIRE(ta.sets.size() == tb->sets.size());
            for (const auto& sa : ta.sets)
                CHECK(sa.elements.size() == tb->set(sa.name)->elements.size());
        }
    }
}
