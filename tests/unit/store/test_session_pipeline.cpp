// The two-thread session build must give what the one-thread builder gives,
// and a damaged block, blocks out of order or a failing write must stop both
// threads and reach the caller, never hang or be lost.
#include "store/database.hpp"
#include "store/event_blocks.hpp"
#include "store/session_pipeline.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>

#include <stdexcept>
#include <tuple>

using namespace natfw;

namespace {

constexpr UnixMicros k_s = 1'000'000;
constexpr UnixMicros k_t0 = 1608986262 * k_s;

/// `n` connections of 30 s each, a new one every 10 s, on four addresses:
/// sessions overlap, and every third one loses its DISCONNECT.
std::vector<ConnectionEvent> day(int n)
{
    std::vector<ConnectionEvent> out;
    for (int i = 0; i < n; ++i) {
        ConnectionEvent c;
        c.time = k_t0 + i * 10 * k_s;
        c.kind = EventKind::connect;
        c.user = "u" + std::to_string(i % 7);
        c.connection = "c" + std::to_string(i);
        c.ip4 = "10.0.0." + std::to_string(i % 4);
        c.position = 2 * i;
        out.push_back(c);
        if (i % 3 == 2)
            continue;
        ConnectionEvent d = c;
        d.kind = EventKind::disconnect;
        d.time = c.time + 30 * k_s;
        d.ip4.clear();
        d.position = 2 * i + 1;
        out.push_back(d);
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const ConnectionEvent& a, const ConnectionEvent& b) { return a.time < b.time; });
    return out;
}

/// A block's row as stored: its id, source, earliest time and compressed events.
struct StoredBlock {
    std::int64_t id = 0;
    std::int64_t source_id = 0;
    UnixMicros first_time = 0;
    std::string data;
};

/// The events cut into blocks of `per_block`, as a source's rows are stored.
std::vector<StoredBlock> blocks_of(const std::vector<ConnectionEvent>& events, std::size_t per_block)
{
    std::vector<StoredBlock> blocks;
    for (std::size_t at = 0; at < events.size(); at += per_block) {
        std::vector<BlockEvent> places;
        for (std::size_t i = at; i < std::min(events.size(), at + per_block); ++i)
            places.push_back({events[i], false});
        blocks.push_back({static_cast<std::int64_t>(blocks.size() + 1), 7, places.front().event.time,
                          encode_event_block(places)});
    }
    return blocks;
}

auto fields(const Session& s)
{
    return std::tie(s.user, s.connection, s.ip4, s.connected_at, s.disconnected_at, s.ended_by, s.inferred_why,
                    s.evidence);
}

} // namespace

TEST_CASE("build_sessions_on_two_threads")
{
    auto events = day(30000);
    auto blocks = blocks_of(events, 100);
    std::size_t next = 0;
    // Read and decoded as SessionStore does it.
    auto next_block = [&](DecodedBlock& b) {
        if (next == blocks.size())
            return false;
        const auto& row = blocks[next++];
        b = {row.first_time, events_of_block(row.id, row.source_id, row.data)};
        return true;
    };

    SUBCASE("gives the sessions the one-thread builder gives, in the same order")
    {
        std::vector<SourcedEvent> sourced;
        for (std::size_t i = 0; i < events.size(); ++i)
            sourced.push_back({events[i], event_id(static_cast<std::int64_t>(i / 100 + 1), i % 100), 7});
        std::vector<Session> expected;
        SessionBuilder builder([&](Session&& s) { expected.push_back(std::move(s)); });
        for (auto& se : sourced)
            builder.add(std::move(se));
        builder.finish();

        std::vector<Session> got;
        build_sessions_on_two_threads(next_block, {}, [&](Session&& s) { got.push_back(std::move(s)); });
        REQUIRE(got.size() == expected.size());
        CHECK(expected.size() == 30000);
        for (std::size_t i = 0; i < got.size(); ++i) {
            CAPTURE(i);
            CHECK(fields(got[i]) == fields(expected[i]));
        }
        CHECK(next == blocks.size());
    }
    SUBCASE("a damaged block stops the build: its error reaches the caller")
    {
        blocks[17].data = blocks[17].data.substr(0, blocks[17].data.size() / 2);
        std::size_t written = 0;
        CHECK_THROWS_AS(build_sessions_on_two_threads(next_block, {}, [&](Session&&) { ++written; }), Error);
        CHECK(next == 18); // no block after the damaged one is read
        CHECK(written < 30000);
    }
    SUBCASE("blocks out of order stop the build on the builder's thread: its error reaches the caller")
    {
        // Block 41 claims to start after block 42 does, so it is read after
        // it: its events reach the merge after later ones have gone out. Its
        // bytes are sound, so only the builder's thread can see this.
        blocks[41].first_time = blocks[42].first_time + 1;
        std::swap(blocks[41], blocks[42]);
        std::size_t written = 0;
        CHECK_THROWS_AS(build_sessions_on_two_threads(next_block, {}, [&](Session&&) { ++written; }), IndexDamaged);
        CHECK(written < 30000);
    }
    SUBCASE("a failing write stops the build: its error reaches the caller")
    {
        std::size_t written = 0;
        auto write = [&](Session&&) {
            if (++written == 1000)
                throw std::runtime_error("disk full");
        };
        CHECK_THROWS_WITH_AS(build_sessions_on_two_threads(next_block, {}, write), "disk full", std::runtime_error);
        CHECK(written == 1000);
        CHECK(next < blocks.size());
    }
}
