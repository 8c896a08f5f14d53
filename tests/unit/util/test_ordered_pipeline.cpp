#include "util/ordered_pipeline.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <random>
#include <stdexcept>
#include <thread>
#include <vector>

using namespace natfw;

namespace {

struct Item {
    int value = 0;
    int result = 0;
    int id = -1; ///< which slot this is, to count the slots
};

} // namespace

TEST_CASE("run_ordered")
{
    for (std::size_t workers : {1u, 2u, 4u}) {
        CAPTURE(workers);
        SUBCASE("results come in fill order, each item worked once")
        {
            int next = 0;
            std::vector<int> consumed;
            std::atomic<int> slots{0};
            run_ordered<Item>(
                workers,
                [] {
                    // Uneven work, so that later items often finish first.
                    auto rng = std::make_shared<std::mt19937>(std::random_device{}());
                    return std::function<void(Item&)>([rng](Item& i) {
                        std::this_thread::sleep_for(std::chrono::microseconds((*rng)() % 300));
                        i.result = i.value * 2;
                    });
                },
                [&](Item& i) {
                    if (next == 500)
                        return false;
                    if (i.id < 0)
                        i.id = slots++;
                    i.value = next++;
                    i.result = -1;
                    return true;
                },
                [&](Item& i) { consumed.push_back(i.result); });
            REQUIRE(consumed.size() == 500);
            for (int k = 0; k < 500; ++k)
                CHECK(consumed[static_cast<std::size_t>(k)] == 2 * k);
            // Memory is bounded by the workers, not by the 500 items.
            CHECK(slots.load() <= static_cast<int>(2 * workers + 1));
        }
        SUBCASE("nothing to fill: nothing consumed")
        {
            int consumed = 0;
            run_ordered<Item>(
                workers, [] { return std::function<void(Item&)>([](Item&) {}); }, [](Item&) { return false; },
                [&](Item&) { ++consumed; });
            CHECK(consumed == 0);
        }
        SUBCASE("a worker's exception stops the run and is rethrown; nothing after it is consumed")
        {
            int next = 0;
            std::vector<int> consumed;
            CHECK_THROWS_WITH_AS(run_ordered<Item>(
                                     workers,
                                     [] {
                                         return std::function<void(Item&)>([](Item& i) {
                                             if (i.value == 50)
                                                 throw std::runtime_error("item 50");
                                         });
                                     },
                                     [&](Item& i) {
                                         i.value = next++;
                                         return next <= 1000;
                                     },
                                     [&](Item& i) { consumed.push_back(i.value); }),
                                 "item 50", std::runtime_error);
            REQUIRE(consumed.size() <= 50);
            for (std::size_t k = 0; k < consumed.size(); ++k)
                CHECK(consumed[k] == static_cast<int>(k));
            CHECK(next < 1000); // it stopped reading
        }
        SUBCASE("a consumer's exception stops the run and is rethrown once")
        {
            int next = 0, consumed = 0;
            CHECK_THROWS_WITH_AS(run_ordered<Item>(
                                     workers, [] { return std::function<void(Item&)>([](Item&) {}); },
                                     [&](Item& i) {
                                         i.value = next++;
                                         return next <= 1000;
                                     },
                                     [&](Item& i) {
                                         ++consumed;
                                         if (i.value == 10)
                                             throw std::runtime_error("output full");
                                     }),
                                 "output full", std::runtime_error);
            CHECK(consumed == 11);
            CHECK(next < 1000);
        }
        SUBCASE("an exception while filling is rethrown after the workers stop")
        {
            int next = 0, consumed = 0;
            CHECK_THROWS_WITH_AS(run_ordered<Item>(
                                     workers, [] { return std::function<void(Item&)>([](Item&) {}); },
                                     [&](Item& i) {
                                         if (next == 20)
                                             throw std::runtime_error("bad input");
                                         i.value = next++;
                                         return true;
                                     },
                                     [&](Item&) { ++consumed; }),
                                 "bad input", std::runtime_error);
            CHECK(consumed == 20); // everything filled before it was finished
        }
    }
}
