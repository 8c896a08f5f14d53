// One read per address for all of a batch's workers; a failed read is not kept.
#include "query/session_cache.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace natfw;

TEST_CASE("SessionCache: workers asking for one address at once read it once")
{
    SessionCache cache;
    std::atomic<int> reads{0};
    auto slow_read = [&] {
        ++reads;
        std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the other workers arrive meanwhile
        SessionCache::List list;
        list.add(1, "alice", "c1", 0, 1'000'000, std::nullopt);
        return list;
    };
    std::vector<std::shared_ptr<const SessionCache::List>> got(4);
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < got.size(); ++i)
        workers.emplace_back([&, i] { got[i] = cache.get(167772162, slow_read); });
    for (auto& w : workers)
        w.join();
    CHECK(reads == 1);
    for (const auto& g : got) {
        REQUIRE(g);
        CHECK(g == got[0]);
        CHECK(g->view().user(0) == "alice");
        CHECK(g->view().connection(0) == "c1");
        CHECK(g->view().connected_at(0) == 1'000'000);
        CHECK_FALSE(g->view().disconnected_at(0));
    }
    CHECK(cache.get(167772163, slow_read)->size() == 1);
    CHECK(reads == 2);
}

TEST_CASE("SessionCache: a read that fails fails for its waiters too and is tried again")
{
    SessionCache cache;
    int reads = 0;
    CHECK_THROWS_AS(cache.get(1, [&]() -> SessionCache::List {
        ++reads;
        throw std::runtime_error("disk I/O error");
    }),
                    std::runtime_error);
    auto list = cache.get(1, [&] {
        ++reads;
        return SessionCache::List{};
    });
    CHECK(list->empty());
    CHECK(reads == 2);
}
