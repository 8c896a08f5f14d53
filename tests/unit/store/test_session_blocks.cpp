// Reading stored session blocks: one reader reads block after block into the
// buffer it keeps and decodes each into its arena, and gives what decoding
// the stored body gives, whatever the block's size and the arrays' alignment.
#include "store/database.hpp"
#include "store/session_blocks.hpp"
#include "store/statements.hpp"
#include "util/errors.hpp"
#include "temp_dir.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <doctest/doctest.h>

#include <map>

using namespace natfw;
using natfw::test::TempDir;

namespace {

/// A /24 with `hosts` addresses, the first of them holding `extra` sessions more.
std::vector<BlockSession> net_of(std::uint32_t net, unsigned hosts, unsigned extra)
{
    std::vector<BlockSession> out;
    for (unsigned h = 0; h < hosts; ++h)
        for (unsigned k = 0; k <= (h == 0 ? extra : 0); ++k)
            out.push_back({net << 8 | h, 100 * k + h, 100 * k + h + 50, 'd', "user" + std::to_string(h % 3)});
    return out;
}

} // namespace

TEST_CASE("SessionBlockReader: block after block, as the stored bodies decode")
{
    TempDir dir;
    auto db = open_index_for_writing(dir.path() / "blocks.sqlite");
    std::map<std::uint32_t, std::string> bodies;
    // Hosts 1 to 9 put the stored 64-bit arrays at every offset modulo 8; odd
    // session counts put the name ends (after a byte per session) off a
    // 4-byte boundary; /24 8 is larger than the first ones.
    for (std::uint32_t net = 1; net <= 9; ++net) {
        bodies[net] = encode_session_block(net, net_of(net, net, net % 2 ? 0 : 3 + net * 40));
        SQLite::Statement insert(*db, sql::k_insert_session_block);
        insert.bind(1, static_cast<std::int64_t>(net));
        insert.bind(2, bodies[net].data(), static_cast<int>(bodies[net].size()));
        insert.exec();
    }
    SessionBlockReader reader(*db);
    for (std::uint32_t net : {1u, 8u, 2u, 3u, 42u, 9u, 4u, 5u, 6u, 7u, 8u, 1u}) {
        CAPTURE(net);
        auto block = reader.read(net);
        if (net == 42) {
            CHECK(block.sessions().empty()); // no row: no sessions
            CHECK(block.of(42u << 8 | 1).size == 0);
            continue;
        }
        CHECK(block.sessions() == decode_session_block(bodies[net], net).sessions());
        CHECK(encode_session_block(net, block.sessions()) == bodies[net]);
        auto first = block.of(net << 8);
        REQUIRE(first.size == (net % 2 ? 1u : 4 + net * 40));
        CHECK(first.user(0) == "user0");
        CHECK(first.start(0) == 0);
        CHECK(first.end(first.size - 1) == 100 * (first.size - 1) + 50);
    }
    SUBCASE("a damaged block is refused, and the reader goes on with the next")
    {
        db->exec("UPDATE session_ip4_block SET body = x'3200' WHERE net = 3");
        CHECK_THROWS_AS(reader.read(3), IndexDamaged);
        CHECK(reader.read(4).sessions() == decode_session_block(bodies[4], 4).sessions());
    }
}

TEST_CASE("SessionBlockReader: a block larger than its buffer so far, between small ones")
{
    // The buffer is whole huge pages: 2 MiB first, more for a block that is larger.
    TempDir dir;
    auto db = open_index_for_writing(dir.path() / "blocks.sqlite");
    std::map<std::uint32_t, std::string> bodies;
    for (std::uint32_t net : {1u, 2u, 3u}) {
        bodies[net] = encode_session_block(net, net_of(net, 3, net == 2 ? 150'000 : 5));
        SQLite::Statement insert(*db, sql::k_insert_session_block);
        insert.bind(1, static_cast<std::int64_t>(net));
        insert.bind(2, bodies[net].data(), static_cast<int>(bodies[net].size()));
        insert.exec();
    }
    REQUIRE(bodies[2].size() > PageArena::k_huge_page + PageArena::k_huge_page / 2);
    SessionBlockReader reader(*db);
    for (std::uint32_t net : {1u, 2u, 3u, 2u, 1u}) {
        CAPTURE(net);
        auto block = reader.read(net);
        CHECK(block.sessions() == decode_session_block(bodies[net], net).sessions());
        CHECK(block.of(net << 8).size == (net == 2 ? 150'001u : 6u));
    }
}
