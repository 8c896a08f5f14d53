// Warnings for an instant in the future or long after a node's newest snapshot.
#include "index_fixture.hpp"
#include "query/late_instant.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

const char* k_rules = "*nat\n:POSTROUTING ACCEPT [0:0]\n"
                      "-A POSTROUTING -s 10.0.0.2 -j SNAT --to-source 192.0.2.1:65280-65535\nCOMMIT\n";
constexpr UnixSeconds k_day = 86'400;

} // namespace

TEST_CASE("warn_if_late")
{
    test::IndexFixture f;
    f.snapshot("a", 1'600'000'000, k_rules);
    f.snapshot("b", 1'600'000'000 + 100 * k_day, k_rules);
    REQUIRE(f.index({"a", "b"}).indexed == 2);
    Query q;
    auto warnings = [&](UnixSeconds instant, UnixSeconds now, UnixSeconds stale_after, std::string node = "") {
        q.instants = {instant};
        q.node = std::move(node);
        Answer a;
        warn_if_late(f.db(), q, now, stale_after, a);
        return a.warnings;
    };
    const UnixSeconds now = 1'700'000'000;
    // Within the age of both nodes' newest snapshots, and in the past: nothing.
    CHECK(warnings(1'600'000'000 + 10 * k_day, now, 90 * k_day).empty());
    // Node a's newest is 95 days old at that instant, b's is not.
    auto w = warnings(1'600'000'000 + 95 * k_day, now, 90 * k_day);
    REQUIRE(w.size() == 1);
    CHECK(w[0].find("node a's newest snapshot is from 2020-09-13T12:26:40Z, 95 day(s) before") == 0);
    CHECK(warnings(1'600'000'000 + 95 * k_day, now, 90 * k_day, "b").empty());
    CHECK(warnings(1'600'000'000 + 95 * k_day, now, 0).empty());
    // Both stale, and the future.
    w = warnings(now + 61, now, 90 * k_day);
    REQUIRE(w.size() == 3);
    CHECK(w[0].find("is in the future") != std::string::npos);
    CHECK(w[1].find("node a's") == 0);
    CHECK(w[2].find("node b's") == 0);
    // A minute of clock difference is no future.
    CHECK(warnings(now + 60, now, 0).empty());
}
