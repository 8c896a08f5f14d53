// A /24's sessions as one stored value: what is encoded decodes to the same
// sessions, and a damaged or misplaced body is refused, never misread.
#include "store/session_block.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <tuple>

using namespace natfw;

namespace {

constexpr std::uint32_t k_net = 0x0A4000; // 10.64.0.0/24
constexpr Ipv4 ip(unsigned host) { return k_net << 8 | host; }

std::vector<BlockSession> sample()
{
    return {
        {ip(9), 300, 400, 'd', "carol"},
        {ip(2), 100, 200, 'd', "alice"},
        {ip(2), std::nullopt, 50, 'd', "bob"}, // began before the log
        {ip(2), 250, std::nullopt, 0, "alice"}, // still open
        {ip(255), 10, 20, 'i', "https://idp.example.org!dave"},
    };
}

} // namespace

TEST_CASE("session block: sessions come back by address and start, unknown starts first")
{
    auto block = decode_session_block(encode_session_block(k_net, sample()), k_net);
    auto want = sample();
    std::sort(want.begin(), want.end(), [](const BlockSession& a, const BlockSession& b) {
        return std::make_tuple(a.ip, a.connected_at.value_or(SessionBlock::k_unknown_start)) <
               std::make_tuple(b.ip, b.connected_at.value_or(SessionBlock::k_unknown_start));
    });
    CHECK(block.sessions() == want);
    CHECK(block.names == "bobalicecarolhttps://idp.example.org!dave"); // each user once

    auto two = block.of(ip(2));
    REQUIRE(two.size == 3);
    CHECK(two.user(0) == "bob");
    CHECK(two.start(0) == SessionBlock::k_unknown_start);
    CHECK(two.user(1) == "alice");
    CHECK(two.user(2) == "alice");
    CHECK(two.end(2) == SessionBlock::k_still_open);
    CHECK(two.ended_by(0) == 'd');
    CHECK(two.ended_by(2) == 0);
    CHECK(block.of(ip(9)).user(0) == "carol");
    CHECK(block.of(ip(9)).start(0) == 300);
    CHECK(block.of(ip(255)).ended_by(0) == 'i');
    CHECK(block.of(ip(255)).user(0) == "https://idp.example.org!dave");
    CHECK(block.of(ip(3)).size == 0);               // no session
    CHECK(block.of((k_net + 1) << 8 | 2).size == 0); // another /24
}

TEST_CASE("session block: random /24s round-trip and encode the same bytes again")
{
    std::mt19937 rng(7);
    for (int round = 0; round < 200; ++round) {
        CAPTURE(round);
        std::vector<BlockSession> sessions(std::uniform_int_distribution<std::size_t>(1, 60)(rng));
        for (auto& s : sessions) {
            s.ip = ip(std::uniform_int_distribution<unsigned>(0, 255)(rng));
            auto start = std::uniform_int_distribution<UnixMicros>(-5, 1000)(rng);
            if (start >= 0)
                s.connected_at = start;
            auto end = std::uniform_int_distribution<UnixMicros>(-5, 1000)(rng);
            s.ended_by = end < 0 ? 0 : "di"[end % 2];
            if (end >= 0)
                s.disconnected_at = end;
            s.user = "u" + std::to_string(std::uniform_int_distribution<int>(0, 9)(rng));
        }
        auto body = encode_session_block(k_net, sessions);
        auto block = decode_session_block(body, k_net);
        auto back = block.sessions();
        CHECK(encode_session_block(k_net, back) == body);
        std::sort(sessions.begin(), sessions.end(), [](const auto& a, const auto& b) {
            return std::make_tuple(a.ip, a.connected_at.value_or(SessionBlock::k_unknown_start),
                                   a.disconnected_at.value_or(SessionBlock::k_still_open), a.ended_by, a.user) <
                   std::make_tuple(b.ip, b.connected_at.value_or(SessionBlock::k_unknown_start),
                                   b.disconnected_at.value_or(SessionBlock::k_still_open), b.ended_by, b.user);
        });
        CHECK(back == sessions);
        // Each address's view holds its sessions in start order.
        for (const auto& s : sessions) {
            auto v = block.of(s.ip);
            REQUIRE(v.size > 0);
            CHECK(std::is_sorted(v.starts, v.starts + v.size));
            // Its views name each session's times and user as stored.
            bool found = false;
            for (std::size_t i = 0; i < v.size; ++i)
                found = found || (v.start(i) == s.connected_at.value_or(SessionBlock::k_unknown_start) &&
                                  v.end(i) == s.disconnected_at.value_or(SessionBlock::k_still_open) &&
                                  v.ended_by(i) == s.ended_by && v.user(i) == s.user);
            CHECK(found);
        }
    }
}

TEST_CASE("session block: damaged, cut, foreign and misplaced bodies are refused")
{
    const auto body = encode_session_block(k_net, sample());
    CHECK_THROWS_AS(decode_session_block(body, k_net + 1), Error); // its row's key changed
    CHECK_THROWS_AS(decode_session_block("", k_net), Error);
    CHECK_THROWS_AS(decode_session_block("3" + body.substr(1), k_net), Error); // a newer layout
    CHECK_THROWS_AS(decode_session_block("1" + body.substr(1), k_net), Error); // format 1 (schema 14) had ids
    CHECK_THROWS_AS(decode_session_block(body + "x", k_net), Error);           // bytes after the names
    for (std::size_t cut = 0; cut < body.size(); ++cut) {
        CAPTURE(cut);
        // Every shorter body is refused: the arrays are counted, and the
        // name table says where the names end.
        CHECK_THROWS_AS(decode_session_block(body.substr(0, cut), k_net), Error);
    }
    CHECK_THROWS_AS(decode_session_block(encode_session_block(k_net, {}), k_net), Error); // no address
    CHECK_THROWS_AS(encode_session_block(k_net, {{(k_net + 1) << 8, 1, 2, 'd', "x"}}), Error);
    // Every single flipped byte either decodes to valid sessions or is refused.
    for (std::size_t at = 0; at < body.size(); ++at) {
        auto bad = body;
        bad[at] = static_cast<char>(bad[at] ^ 0x5A);
        try {
            auto block = decode_session_block(bad, k_net);
            for (std::size_t h = 0; h < block.hosts.size(); ++h) {
                auto v = block.of(k_net << 8 | block.hosts[h]);
                CHECK(v.size > 0);
                CHECK(std::is_sorted(v.starts, v.starts + v.size));
                for (std::size_t i = 0; i < v.size; ++i)
                    CHECK(v.user(i).size() <= block.names.size());
            }
        } catch (const Error&) {
        }
    }
    // A host's first session past the session count (found by fuzzing: the
    // order check read beyond the starts) is refused.
    {
        auto past = encode_session_block(k_net, {{ip(1), 1, 2, 'd', "a"}, {ip(2), 3, 4, 'd', "b"}});
        const std::uint32_t far = 100;
        std::memcpy(past.data() + 17 + 2 + 4, &far, 4); // hosts' bytes, then the second host's first session
        CHECK_THROWS_AS(decode_session_block(past, k_net), Error);
    }
    // A huge count is refused before anything is allocated.
    auto huge = body;
    huge[9] = huge[10] = huge[11] = huge[12] = '\xFF';
    CHECK_THROWS_AS(decode_session_block(huge, k_net), Error);
}
