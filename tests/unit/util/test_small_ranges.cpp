#include "util/small_ranges.hpp"

#include <doctest/doctest.h>

#include <random>
#include <vector>

using namespace natfw;

namespace {
std::vector<Ipv4Range> contents(const SmallRanges& s) { return {s.begin(), s.end()}; }
} // namespace

TEST_CASE("SmallRanges: inline up to two, then on the heap, in order either way")
{
    SmallRanges s;
    CHECK(s.empty());
    s.push_back({5, 5});
    s.insert(s.begin(), {1, 1}); // before the first, inline
    CHECK(contents(s) == std::vector<Ipv4Range>{{1, 1}, {5, 5}});
    s.insert(s.begin() + 1, {3, 3}); // the third: spilled, still in order
    CHECK(contents(s) == std::vector<Ipv4Range>{{1, 1}, {3, 3}, {5, 5}});
    s.erase(s.begin(), s.begin() + 2);
    CHECK(contents(s) == std::vector<Ipv4Range>{{5, 5}});
    CHECK(s.front() == Ipv4Range{5, 5});
    CHECK(s.back() == Ipv4Range{5, 5});
    SmallRanges inline_only;
    inline_only.push_back({1, 2});
    inline_only.push_back({4, 4});
    inline_only.erase(inline_only.begin(), inline_only.begin() + 1);
    CHECK(contents(inline_only) == std::vector<Ipv4Range>{{4, 4}});
    CHECK_FALSE(inline_only == s); // {4,4} against {5,5}
    SmallRanges five;
    five.push_back({5, 5});
    CHECK(five == s); // equal contents, one inline and one spilled
}

TEST_CASE("SmallRanges agrees with a std::vector under random inserts and erases")
{
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        SmallRanges s;
        std::vector<Ipv4Range> v;
        for (int step = 0; step < 12; ++step) {
            if (v.empty() || rng() % 3) {
                auto at = v.empty() ? 0 : rng() % (v.size() + 1);
                Ipv4Range r{static_cast<Ipv4>(rng()), static_cast<Ipv4>(rng())};
                v.insert(v.begin() + static_cast<std::ptrdiff_t>(at), r);
                s.insert(s.begin() + at, r);
            } else {
                auto from = rng() % v.size();
                auto to = from + rng() % (v.size() - from + 1);
                v.erase(v.begin() + static_cast<std::ptrdiff_t>(from), v.begin() + static_cast<std::ptrdiff_t>(to));
                s.erase(s.begin() + from, s.begin() + to);
            }
            REQUIRE(contents(s) == v);
        }
    }
}
