#include "store/event_block.hpp"
#include "util/errors.hpp"
#include "util/zstd_frame.hpp"

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
    SUBCASE("EventBlockPlaces reads one place, stepping over the others")
    {
        std::vector<BlockEvent> places{{c, false}, {{}, true}, {d, false}};
        EventBlockPlaces block;
        block.open(encode_event_block(places));
        auto first = block.at(0);
        REQUIRE(first);
        CHECK(fields(first->event) == fields(c));
        auto blank = block.at(1);
        REQUIRE(blank);
        CHECK(blank->forgotten);
        auto last = block.at(2);
        REQUIRE(last);
        CHECK_FALSE(last->forgotten);
        CHECK(fields(last->event) == fields(d));
        CHECK_FALSE(block.at(3));
        CHECK_FALSE(block.at(1023));
        block.open("");
        CHECK_THROWS_WITH_AS(block.at(0), "event block is damaged or of a newer natfw-index", Error);
        block.open("3");
        CHECK_THROWS_WITH_AS(block.at(0), "event block is damaged or of a newer natfw-index", Error);
    }
    SUBCASE("a block of several frames: each place from its own frame, in any order")
    {
        std::vector<BlockEvent> places;
        for (int i = 0; i < 300; ++i) { // several frames, the last one part full
            auto e = i % 2 ? d : c;
            e.time = i;
            e.position = 1000 + i;
            places.push_back({e, i % 7 == 3});
        }
        REQUIRE(places.size() > 2 * std::size_t{k_frame_events});
        auto data = encode_event_block(places);
        auto back = decode_event_block(data);
        REQUIRE(back.size() == places.size());
        EventBlockPlaces block;
        block.open(data);
        for (std::size_t i : {299u, 0u, 128u, 127u, 255u, 256u, 1u, 200u, 200u}) {
            CAPTURE(i);
            CHECK(back[i].forgotten == places[i].forgotten);
            if (!places[i].forgotten)
                CHECK(fields(back[i].event) == fields(places[i].event));
            auto one = block.at(i);
            REQUIRE(one);
            CHECK(one->forgotten == places[i].forgotten);
            if (!places[i].forgotten)
                CHECK(fields(one->event) == fields(places[i].event));
        }
        CHECK_FALSE(block.at(300));
    }
    SUBCASE("a block as natfw-index wrote it before schema 18, in one frame, still reads")
    {
        std::vector<BlockEvent> places{{c, false}, {{}, true}, {d, false}};
        // The places' layout as it lies in the (only) frame of a new block,
        // behind its 11-byte header (format, frame size, places, the frame's end).
        auto data = encode_event_block(places);
        auto layout = zstd_decompress(std::string_view(data).substr(11), 1 << 20, "test");
        auto old = seal_old_event_block_for_tests("1" + layout);
        auto back = decode_event_block(old);
        REQUIRE(back.size() == 3);
        CHECK(fields(back[0].event) == fields(c));
        CHECK(back[1].forgotten);
        CHECK(fields(back[2].event) == fields(d));
        EventBlockPlaces block;
        block.open(old);
        REQUIRE(block.at(2));
        CHECK(fields(block.at(2)->event) == fields(d));
        REQUIRE(block.at(0));
        CHECK(fields(block.at(0)->event) == fields(c));
        CHECK_FALSE(block.at(3));
        CHECK_THROWS_WITH_AS(decode_event_block(seal_old_event_block_for_tests("2" + layout)),
                             "event block is damaged or of a newer natfw-index", Error);
        block.open(seal_old_event_block_for_tests("1" + layout.substr(0, layout.size() - 3)));
        CHECK(block.at(0));
        CHECK_THROWS_WITH_AS(block.at(2), "event block is damaged: it ends inside an event", Error);
    }
    SUBCASE("damage in a frame is found on the way; a place before it is still read")
    {
        auto data = encode_event_block({{c, false}, {{}, true}, {d, false}});
        auto layout = zstd_decompress(std::string_view(data).substr(11), 1 << 20, "test");
        auto cut = seal_event_block_for_tests({layout.substr(0, layout.size() - 3)}, 128, 3);
        EventBlockPlaces block;
        block.open(cut);
        CHECK(block.at(0));
        CHECK_THROWS_WITH_AS(block.at(2), "event block is damaged: it ends inside an event", Error);
        CHECK_THROWS_WITH_AS(decode_event_block(cut), "event block is damaged: it ends inside an event", Error);
        auto wrong_kind = layout;
        wrong_kind[0] = 'Q';
        block.open(seal_event_block_for_tests({wrong_kind}, 128, 3));
        CHECK_THROWS_WITH_AS(block.at(1), "event block is damaged: unknown event kind", Error);
        // A frame holding more or fewer places than the header gives.
        CHECK_THROWS_WITH_AS(decode_event_block(seal_event_block_for_tests({layout}, 128, 2)),
                             "event block is damaged: a frame holds more than its header says", Error);
        CHECK_THROWS_WITH_AS(decode_event_block(seal_event_block_for_tests({layout}, 128, 4)),
                             "event block is damaged: it ends inside an event", Error);
        // A header that counts two frames (of two places) where one was written.
        CHECK_THROWS_WITH_AS(decode_event_block(seal_event_block_for_tests({layout}, 2, 3)),
                             "event block is damaged: its frames are not where its header says", Error);
        // One frame where the header counts two: the second's bytes are not a frame.
        CHECK_THROWS_AS(decode_event_block(seal_event_block_for_tests({layout, layout}, 128, 3)), Error);
    }
    SUBCASE("a damaged header is refused")
    {
        auto data = encode_event_block({{c, false}, {d, false}});
        EventBlockPlaces block;
        for (std::size_t cut : {1u, 3u, 7u, 10u}) {
            CAPTURE(cut);
            CHECK_THROWS_WITH_AS(decode_event_block(data.substr(0, cut)),
                                 "event block is damaged: it ends inside its header", Error);
            block.open(data.substr(0, cut));
            CHECK_THROWS_WITH_AS(block.at(0), "event block is damaged: it ends inside its header", Error);
        }
        auto too_many = data;
        too_many[3] = '\x01';
        too_many[4] = '\x04'; // 1,025 places
        CHECK_THROWS_WITH_AS(decode_event_block(too_many), "event block is damaged: more events than a block holds",
                             Error);
        auto no_frame_size = data;
        no_frame_size[1] = no_frame_size[2] = '\0';
        block.open(no_frame_size);
        CHECK_THROWS_WITH_AS(block.at(0), "event block is damaged: its header gives frames of no events", Error);
        auto far_end = data;
        far_end[8] = '\x7f';
        block.open(far_end);
        CHECK_THROWS_WITH_AS(block.at(1), "event block is damaged: its frames are not where its header says", Error);
        CHECK_THROWS_WITH_AS(decode_event_block(data + "x"), "event block is damaged: bytes after its last frame",
                             Error);
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
