// One read per /24 for all of a batch's workers; a failed read is not kept.
#include "query/session_cache.hpp"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

using namespace natfw;

namespace {

constexpr std::uint32_t k_net = 0x0A0000; // 10.0.0.0/24

SessionBlock alice_block(std::uint32_t net)
{
    return decode_session_block(
        encode_session_block(net, {{net << 8 | 2, 1'000'000, std::nullopt, 0, "alice"}}), net);
}

} // namespace

TEST_CASE("SessionCache: workers asking for one /24 at once read it once")
{
    SessionCache cache;
    std::atomic<int> reads{0};
    auto slow_read = [&](std::uint32_t net) {
        return [&, net] {
            ++reads;
            std::this_thread::sleep_for(std::chrono::milliseconds(50)); // the other workers arrive meanwhile
            return alice_block(net);
        };
    };
    std::vector<std::shared_ptr<const SessionBlock>> got(4);
    std::vector<std::thread> workers;
    for (std::size_t i = 0; i < got.size(); ++i)
        workers.emplace_back([&, i] { got[i] = cache.get(k_net, slow_read(k_net)); });
    for (auto& w : workers)
        w.join();
    CHECK(reads == 1);
    for (const auto& g : got) {
        REQUIRE(g);
        CHECK(g == got[0]);
        auto view = g->of(k_net << 8 | 2);
        REQUIRE(view.size == 1);
        CHECK(view.user(0) == "alice");
        CHECK(view.start(0) == 1'000'000);
        CHECK(view.end(0) == SessionBlock::k_still_open);
    }
    CHECK(cache.get(k_net + 1, slow_read(k_net + 1))->session_count() == 1);
    CHECK(reads == 2);
}

TEST_CASE("SessionCache: a read that fails fails for its waiters too and is tried again")
{
    SessionCache cache;
    int reads = 0;
    CHECK_THROWS_AS(cache.get(k_net, [&]() -> SessionBlock {
        ++reads;
        throw std::runtime_error("disk I/O error");
    }),
                    std::runtime_error);
    auto block = cache.get(k_net, [&] {
        ++reads;
        return alice_block(k_net);
    });
    CHECK(block->session_count() == 1);
    CHECK(reads == 2);
}
