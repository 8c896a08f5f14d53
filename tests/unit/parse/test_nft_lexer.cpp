// nftables tokens: words that keep addresses and ranges whole, strings,
// braces, statement ends, comments, continuations, and define/$NAME.
#include "parse/nft_lexer.hpp"

#include <doctest/doctest.h>

#include <algorithm>

using namespace natfw;

namespace {

/// The tokens as one string: words as they are, strings quoted, ends as "|".
std::string shape(const NftTokens& t)
{
    std::string out;
    for (const auto& tok : t.tokens) {
        if (!out.empty())
            out += ' ';
        switch (tok.kind) {
        case NftTokenKind::string: out += '"' + tok.text + '"'; break;
        case NftTokenKind::end: out += '|'; break;
        default: out += tok.text;
        }
    }
    return out;
}

} // namespace

TEST_CASE("lex_nft")
{
    SUBCASE("addresses, ranges and prefixes stay one word; a spaced colon or dot is its own")
    {
        auto t = lex_nft("snat ip to ip saddr map { 10.0.0.2 : 192.0.2.2 . 4000-4001, fc00::/7 : [2001:db8::1]:1024-2047 }");
        REQUIRE_FALSE(t.unusable);
        CHECK(shape(t) == "snat ip to ip saddr map { 10.0.0.2 : 192.0.2.2 . 4000-4001 , fc00::/7 : "
                          "[2001:db8::1]:1024-2047 }");
    }
    SUBCASE("line ends and semicolons end statements; comments go; strings keep their spaces")
    {
        auto t = lex_nft("#!/usr/sbin/nft -f\nflush ruleset # all of it\n"
                         "oifname \"eth 0\" masquerade; counter\n");
        REQUIRE_FALSE(t.unusable);
        CHECK(shape(t) == "| flush ruleset | oifname \"eth 0\" masquerade | counter |");
        CHECK(t.tokens[1].line == 2);
        CHECK(t.tokens[4].line == 3);
    }
    SUBCASE("a backslash at a line end continues the statement")
    {
        auto t = lex_nft("ip saddr 10.0.0.2 \\\n  snat to 192.0.2.1\nnext");
        CHECK(shape(t) == "ip saddr 10.0.0.2 snat to 192.0.2.1 | next");
        CHECK(t.tokens.back().line == 3);
    }
    SUBCASE("a token's offset and length point into the file")
    {
        std::string file = "table ip nat {\n";
        auto t = lex_nft(file);
        REQUIRE(t.tokens.size() == 5);
        CHECK(file.substr(t.tokens[2].offset, t.tokens[2].length) == "nat");
        CHECK(t.tokens[3].kind == NftTokenKind::open);
    }
    SUBCASE("define, redefine and undefine give no tokens; $NAME gives the value where it stands")
    {
        auto t = lex_nft("define EXT = \"eth0\"\ndefine NETS = {\n  10.0.0.0/8,\n  fc00::/7\n}\n"
                         "oifname $EXT ip saddr $NETS masquerade\nredefine EXT = \"eth1\"\noifname $EXT\n");
        REQUIRE_FALSE(t.unusable);
        CHECK(t.warnings.empty());
        CHECK(shape(t) == "| | oifname \"eth0\" ip saddr { 10.0.0.0/8 , fc00::/7 } masquerade | | oifname \"eth1\" |");
        auto nets = std::find_if(t.tokens.begin(), t.tokens.end(), [](const NftToken& k) { return k.text == "fc00::/7"; });
        REQUIRE(nets != t.tokens.end());
        CHECK(nets->line == 6); // the reference's line, not the define's
    }
    SUBCASE("a one-word value joins what follows it")
    {
        auto t = lex_nft("define PUB = 192.0.2.1\nsnat to $PUB:65280-65535");
        REQUIRE_FALSE(t.unusable);
        CHECK(shape(t) == "| snat to 192.0.2.1:65280-65535");
    }
    SUBCASE("a define on the last line without a line end")
    {
        auto t = lex_nft("define A = 1");
        CHECK_FALSE(t.unusable);
        CHECK(t.tokens.size() == 1);
    }
    SUBCASE("define twice is a warning; the second value holds")
    {
        auto t = lex_nft("define A = 1\ndefine A = 2\n$A\n");
        REQUIRE(t.warnings.size() == 1);
        CHECK(t.warnings[0].line == 2);
        CHECK(t.warnings[0].message == "define A: defined again (redefine says so)");
        CHECK(shape(t) == "| | 2 |");
    }
    SUBCASE("faults nft refuses the file for")
    {
        auto undefined = lex_nft("counter\noifname $EXT masquerade\n");
        REQUIRE(undefined.unusable);
        CHECK(undefined.unusable->line == 2);
        CHECK(undefined.unusable->message == "$EXT is not defined");

        auto open_string = lex_nft("comment \"no end\nnext\n");
        REQUIRE(open_string.unusable);
        CHECK(open_string.unusable->line == 1);
        CHECK(open_string.unusable->message == "a quoted string is not closed on its line");

        auto no_equals = lex_nft("define A 1\n");
        REQUIRE(no_equals.unusable);
        CHECK(no_equals.unusable->message == "define A: expected \"=\"");

        auto no_value = lex_nft("define A =\n");
        REQUIRE(no_value.unusable);
        CHECK(no_value.unusable->message == "define A: no value");

        auto undefine_unknown = lex_nft("undefine B\n");
        REQUIRE(undefine_unknown.unusable);
        CHECK(undefine_unknown.unusable->message == "undefine B: it is not defined");

        auto joined = lex_nft("define S = { 1, 2 }\n$S:80\n");
        REQUIRE(joined.unusable);
        CHECK(joined.unusable->message == "$S is not one word and cannot be joined with \":80\"");

        auto bare = lex_nft("$ masquerade");
        REQUIRE(bare.unusable);
        CHECK(bare.unusable->message == "$ is not defined");
    }
    SUBCASE("empty input, CRLF")
    {
        CHECK(lex_nft("").tokens.empty());
        auto crlf = lex_nft("table ip nat\r\n");
        CHECK(shape(crlf) == "table ip nat |");
    }
}
