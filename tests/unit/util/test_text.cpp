#include "util/text.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("typo_distance counts inserts, deletes, replacements and swapped neighbours")
{
    CHECK(typo_distance("off", "off") == 0);
    CHECK(typo_distance("of", "off") == 1);
    CHECK(typo_distance("fof", "off") == 1);
    CHECK(typo_distance("syslgo", "syslog") == 1);
    CHECK(typo_distance("slog", "syslog") == 2);
    CHECK(typo_distance("", "off") == 3);
    CHECK(typo_distance("audit", "off") == 5);
}
