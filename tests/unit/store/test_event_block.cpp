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
