#include "util/errors.hpp"
#include "parse/snapshot_discovery.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>

#include <algorithm>

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

TEST_CASE("nft_snapshot_time_from_name")
{
    CHECK(nft_snapshot_time_from_name("nftables.conf.1700000000") == 1700000000);
    CHECK(nft_snapshot_time_from_name("natfw.nft.1700000000") == 1700000000);
    CHECK(nft_snapshot_time_from_name("a.b.nft.100000000") == 100000000);
    CHECK_FALSE(nft_snapshot_time_from_name(".nft.1700000000")); // NAME is not empty
    CHECK_FALSE(nft_snapshot_time_from_name("natfw.nft.1700000000000"));
    CHECK_FALSE(nft_snapshot_time_from_name("natfw.nft.1700000000.failed"));
    CHECK_FALSE(nft_snapshot_time_from_name("nftables.conf"));
    CHECK_FALSE(nft_snapshot_time_from_name("nftables.conf.17000000ab"));
    CHECK_FALSE(nft_snapshot_time_from_name("natfw.nft"));
    CHECK_FALSE(nft_snapshot_time_from_name("rules.v4.1700000000"));
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

    SUBCASE("nftables names join the same timeline")
    {
        dir.write("nftables.conf.1550000000", "x");
        dir.write("natfw.nft.1650000000", "x");
        dir.write("natfw.nft.1650000000000", "x");
        dir.write("natfw.nft.1660000000.failed", "x");
        auto found = discover_snapshots(dir.path());
        REQUIRE(found.snapshots.size() == 5);
        CHECK(found.snapshots[2].path == dir.path() / "nftables.conf.1550000000");
        CHECK(found.snapshots[2].naming == SnapshotNaming::nft);
        CHECK(found.snapshots[2].in_ipv4_timeline());
        CHECK(found.snapshots[2].in_ipv6_timeline());
        CHECK(found.snapshots[4].path == dir.path() / "natfw.nft.1650000000");
        auto odd = std::find_if(found.skipped.begin(), found.skipped.end(),
                                [&](const SkippedFile& f) { return f.path.filename() == "natfw.nft.1650000000000"; });
        REQUIRE(odd != found.skipped.end());
        CHECK(odd->near_miss);
        CHECK(odd->reason == "not a snapshot name (nftables.conf.<unix-seconds> or NAME.nft.<unix-seconds>, 9 to 11 digits)");
        auto refused = std::find_if(found.skipped.begin(), found.skipped.end(), [&](const SkippedFile& f) {
            return f.path.filename() == "natfw.nft.1660000000.failed";
        });
        REQUIRE(refused != found.skipped.end());
        CHECK_FALSE(refused->near_miss); // natfw-generate's own record: no notice
        return;
    }
    auto found = discover_snapshots(dir.path());
    REQUIRE(found.snapshots.size() == 3);
    CHECK(found.snapshots[0].valid_from == 1500000000);
    CHECK(found.snapshots[0].naming == SnapshotNaming::rules_v4);
    // One time, two timelines: rules.v6 beside rules.v4, in name order.
    CHECK(found.snapshots[1].path == dir.path() / "rules.v6.1500000000");
    CHECK(found.snapshots[1].naming == SnapshotNaming::rules_v6);
    CHECK_FALSE(found.snapshots[1].in_ipv4_timeline());
    CHECK(found.snapshots[2].valid_from == 1600000000);
    CHECK(found.snapshots[2].path == dir.path() / "rules.v4.1600000000");
    REQUIRE(found.skipped.size() == 5);
    int near_misses = 0;
    for (const auto& s : found.skipped)
        near_misses += s.near_miss;
    CHECK(near_misses == 2); // the 13-digit name and the .bak
    SUBCASE("a missing directory is a FileError")
    {
        CHECK_THROWS_AS(discover_snapshots(dir.path() / "nope"), FileError);
    }
}
