#include "index_fixture.hpp"
#include "query/packed_history.hpp"
#include "query/sql_history.hpp"
#include "store/database.hpp"
#include "store/snapshot_row_check.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

const std::string k_rules = "*nat\n:POSTROUTING ACCEPT [0:0]\n"
                            "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:65280-65535\n"
                            "COMMIT\n";

} // namespace

TEST_CASE("snapshot row checks: a row changed after indexing is refused, not answered from")
{
    test::IndexFixture f;
    f.snapshot("vpn", 1600000000, k_rules);
    f.snapshot("vpn", 1600000100, "not a ruleset\n");
    f.index({"vpn"});
    CHECK(f.count("SELECT count(*) FROM snapshot WHERE row_check = ''") == 0);
    {
        SqlHistory intact(f.db());
        REQUIRE(intact.usable_at(intact.nodes().at(0), 1600000050) != nullptr);
    }
    SUBCASE("a path")
    {
        f.db().exec("UPDATE snapshot SET path = replace(path, 'vpn', 'vpm') WHERE ruleset_id IS NOT NULL");
        SqlHistory history(f.db());
        CHECK_THROWS_AS(history.usable_at(history.nodes().at(0), 1600000050), IndexDamaged);
        CHECK_THROWS_AS(PackedHistory(f.db()), IndexDamaged);
    }
    SUBCASE("the ruleset a usable snapshot names")
    {
        // As a flipped byte would, past the foreign key SQLite checks on writing.
        f.db().exec("PRAGMA foreign_keys = OFF");
        f.db().exec("UPDATE snapshot SET ruleset_id = ruleset_id + 1 WHERE ruleset_id IS NOT NULL");
        SqlHistory history(f.db());
        CHECK_THROWS_AS(history.usable_at(history.nodes().at(0), 1600000050), IndexDamaged);
    }
    SUBCASE("an unusable snapshot's content hash")
    {
        f.db().exec("UPDATE snapshot SET sha256 = 'x' || sha256 WHERE ruleset_id IS NULL");
        SqlHistory history(f.db());
        std::vector<UnusableRef> out;
        CHECK_THROWS_AS(history.unusable_between(history.nodes().at(0), 1600000000, 1600000200, out), IndexDamaged);
    }
}

TEST_CASE("snapshot_row_check depends on every field it covers")
{
    const auto base = snapshot_row_check(1, 1600000000, "/etc/iptables/rules.v4.1600000000", "ab", 3);
    CHECK(base.size() == 32);
    CHECK(base != snapshot_row_check(2, 1600000000, "/etc/iptables/rules.v4.1600000000", "ab", 3));
    CHECK(base != snapshot_row_check(1, 1600000001, "/etc/iptables/rules.v4.1600000000", "ab", 3));
    CHECK(base != snapshot_row_check(1, 1600000000, "/etc/iptables/rules.v4.1600000001", "ab", 3));
    CHECK(base != snapshot_row_check(1, 1600000000, "/etc/iptables/rules.v4.1600000000", "ac", 3));
    CHECK(base != snapshot_row_check(1, 1600000000, "/etc/iptables/rules.v4.1600000000", "ab", std::nullopt));
}
