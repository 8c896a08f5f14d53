#include "store/event_block.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>

#include <tuple>

using namespace natfw;

namespace {

auto fields(const ConnectionEvent& e)
{
    return std::tie(e.time, e.kind, e.user, e.profile, e.connection, e.vpn_proto, e.ip4, e.ip6, e.originating,
                    e.position);
}

} // namespace

TEST_CASE("encode_event_block and decode_event_block")
{
    ConnectionEvent c;
    c.time = 1608986262'123456;
    c.kind = EventKind::connect;
    c.user = "user2067";
    c.profile = "staff";
    c.connection = "00000000000000000000000000000001";
    c.vpn_proto = "openvpn";
    c.ip4 = "10.64.0.2";
    c.ip6 = "fd64::2";
    c.originating = "198.51.100.195";
    c.position = 42;
    ConnectionEvent d;
    d.kind = EventKind::disconnect;
    d.time = -5; // before 1970: whatever a source says is kept as said
    d.user = std::string("nul\0inside", 10);
    d.position = -1;
    SUBCASE("every field of every place comes back, forgotten places as blanks")
    {
        std::vector<BlockEvent> places{{c, false}, {{}, true}, {d, false}};
        auto back = decode_event_block(encode_event_block(places));
        REQUIRE(back.size() == 3);
        CHECK_FALSE(back[0].forgotten);
        CHECK(fields(back[0].event) == fields(c));
        CHECK(back[1].forgotten);
        CHECK(fields(back[2].event) == fields(d));
    }
    SUBCASE("event_in_block reads one place, stepping over the others")
    {
        std::vector<BlockEvent> places{{c, false}, {{}, true}, {d, false}};
        auto plain = decompress_event_block(encode_event_block(places));
        auto first = event_in_block(plain, 0);
        REQUIRE(first);
        CHECK(fields(first->event) == fields(c));
        auto blank = event_in_block(plain, 1);
        REQUIRE(blank);
        CHECK(blank->forgotten);
        auto last = event_in_block(plain, 2);
        REQUIRE(last);
        CHECK_FALSE(last->forgotten);
        CHECK(fields(last->event) == fields(d));
        CHECK_FALSE(event_in_block(plain, 3));
        CHECK_FALSE(event_in_block(plain, 1023));
        // Damage on the way is found; a place before it is still read.
        auto cut = plain.substr(0, plain.size() - 3);
        CHECK(event_in_block(cut, 0));
        CHECK_THROWS_WITH_AS(event_in_block(cut, 2), "event block is damaged: it ends inside an event", Error);
        auto wrong_kind = plain;
        wrong_kind[1] = 'Q';
        CHECK_THROWS_WITH_AS(event_in_block(wrong_kind, 1), "event block is damaged: unknown event kind", Error);
        CHECK_THROWS_WITH_AS(event_in_block("2", 0), "event block is damaged or of a newer natfw-index", Error);
        CHECK_THROWS_WITH_AS(event_in_block("", 0), "event block is damaged or of a newer natfw-index", Error);
    }
    SUBCASE("an empty block")
    {
        CHECK(decode_event_block(encode_event_block({})).empty());
    }
    SUBCASE("damage is refused, never misread")
    {
        auto data = encode_event_block({{c, false}, {d, false}});
        CHECK_THROWS_AS(decode_event_block(""), Error);
        CHECK_THROWS_AS(decode_event_block("not zstd at all"), Error);
        CHECK_THROWS_AS(decode_event_block(data.substr(0, data.size() - 3)), Error);
        auto flipped = data;
        flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
        CHECK_THROWS_AS(decode_event_block(flipped), Error);
    }
}
