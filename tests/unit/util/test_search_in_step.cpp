// Binary searches taken a step at a time together find what each would alone.
#include "util/search_in_step.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

using namespace natfw;

TEST_CASE("SearchInStep: each search finds std::upper_bound's place, whatever the sizes around it")
{
    std::mt19937_64 random(20261207);
    SearchInStep<std::int64_t> searching;
    // Several rounds, so that the steps kept from the round before are reused.
    for (int round = 0; round < 50; ++round) {
        CAPTURE(round);
        const std::size_t count = std::uniform_int_distribution<std::size_t>(1, 64)(random);
        std::vector<std::vector<std::int64_t>> lists(count);
        std::vector<SortedSearch<std::int64_t>> searches(count);
        for (std::size_t i = 0; i < count; ++i) {
            // Empty, single, small, and longer than a few cache lines; values repeat.
            const std::size_t size = std::uniform_int_distribution<std::size_t>(0, i % 4 == 0 ? 2 : 200)(random);
            for (std::size_t j = 0; j < size; ++j)
                lists[i].push_back(std::uniform_int_distribution<std::int64_t>(-50, 50)(random));
            std::sort(lists[i].begin(), lists[i].end());
            // Keys below, among and above the values.
            const auto key = std::uniform_int_distribution<std::int64_t>(-60, 60)(random);
            searches[i] = {lists[i].data(), lists[i].size(), key};
        }
        std::vector<std::size_t> found(count, 12345);
        searching.upper_bounds(searches, found);
        for (std::size_t i = 0; i < count; ++i) {
            CAPTURE(i);
            const auto& l = lists[i];
            const auto expected = std::upper_bound(l.begin(), l.end(), searches[i].key) - l.begin();
            CHECK(found[i] == static_cast<std::size_t>(expected));
        }
    }
}

TEST_CASE("SearchInStep: the edges of one list, and answers not as many as the searches")
{
    const std::vector<std::int64_t> values{10, 20, 20, 30};
    SearchInStep<std::int64_t> searching;
    std::vector<SortedSearch<std::int64_t>> searches;
    for (std::int64_t key : {9, 10, 19, 20, 29, 30, 31})
        searches.push_back({values.data(), values.size(), key});
    searches.push_back({nullptr, 0, 5}); // an address that held no session
    std::vector<std::size_t> found(searches.size());
    searching.upper_bounds(searches, found);
    CHECK(found == std::vector<std::size_t>{0, 1, 1, 3, 3, 4, 4, 0});
    std::vector<std::size_t> too_few(searches.size() - 1);
    CHECK_THROWS_AS(searching.upper_bounds(searches, too_few), std::logic_error);
}
