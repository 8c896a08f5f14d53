#include "util/errors.hpp"
#include "parse/snapshot_discovery.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("snapshot_time_from_name")
{
    CHECK(snapshot_time_from_name("rules.v4.1608946501") == 1608946501);
    CHECK(snapshot_time_from_name("rules.v4.100000000") == 100000000);    // 9 digits
    CHECK(snapshot_time_from_name("rules.v4.10000000000") == 10000000000); // 11 digits
    CHECK_FALSE(snapshot_time_from_name("rules.v4.10000000"));             // 8
    CHECK_FALSE(snapshot_time_from_name("rules.v4.1608946501000"));        // milliseconds
    CHECK_FALSE(snapshot_time_from_name("rules.v4.1608946501~"));
    CHECK_FALSE(snapshot_time_from_name("rules.v4.1608946501.failed"));
    CHECK_FALSE(snapshot_time_from_name("rules.v4.16089465ab"));
    CHECK_FALSE(snapshot_time_from_name("rules.v4.+608946501"));
    CHECK_FALSE(snapshot_time_from_name("rules.v6.1608946501"));
    CHECK_FALSE(snapshot_time_from_name("rules.v4"));
}

TEST_CASE("discover_snapshots")
{
    test::TempDir dir;
    dir.write("rules.v4.1600000000", "x");
    dir.write("rules.v4.1500000000", "x");
    dir.write("rules.v4.1600000000000", "x");
    dir.write("rules.v4.1500000000.bak", "x");
    dir.write("rules.v6.1500000000", "x");
    dir.write("sub/rules.v4.1700000000", "x");
    std::filesystem::create_symlink(dir.path() / "rules.v4.1600000000", dir.path() / "rules.v4");
    std::filesystem::create_symlink(dir.path() / "rules.v4.1600000000", dir.path() / "rules.v4.1650000000");

    auto found = discover_snapshots(dir.path());
    REQUIRE(found.snapshots.size() == 2);
    CHECK(found.snapshots[0].valid_from == 1500000000);
    CHECK(found.snapshots[1].valid_from == 1600000000);
    CHECK(found.snapshots[1].path == dir.path() / "rules.v4.1600000000");
    REQUIRE(found.skipped.size() == 6);
    int near_misses = 0;
    for (const auto& s : found.skipped)
        near_misses += s.near_miss;
    CHECK(near_misses == 2); // the 13-digit name and the .bak
    SUBCASE("a missing directory is a FileError")
    {
        CHECK_THROWS_AS(discover_snapshots(dir.path() / "nope"), FileError);
    }
}
