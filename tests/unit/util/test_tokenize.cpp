#include "util/tokenize.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("tokenize")
{
    auto t = tokenize("-A X -m comment --comment \"subscriber 42\" -j SNAT");
    REQUIRE(t.ok);
    REQUIRE(t.tokens.size() == 8);
    CHECK(t.tokens[5].text == "subscriber 42");
    CHECK(t.tokens[5].quoted);
    CHECK_FALSE(t.tokens[6].quoted);
    SUBCASE("escapes and single quotes")
    {
        auto e = tokenize("--comment \"say \\\"hi\\\"\" 'a b'");
        REQUIRE(e.tokens.size() == 3);
        CHECK(e.tokens[1].text == "say \"hi\"");
        CHECK(e.tokens[2].text == "a b");
    }
    SUBCASE("an unterminated quote")
    {
        CHECK_FALSE(tokenize("--comment \"open").ok);
    }
    SUBCASE("tabs and runs of blanks")
    {
        CHECK(tokenize("  a\t\tb  ").tokens.size() == 2);
    }
}
