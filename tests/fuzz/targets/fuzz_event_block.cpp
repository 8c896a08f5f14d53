// Connection event blocks as read from an index that may be damaged. The
// compression's checksum refuses almost every damaged frame at once, so the
// layout beneath is fuzzed too: with `data[0] % 3` == 1 the target seals the
// rest as a block (two bytes of frame size, two of places, then the frames'
// layouts, each ended by four 0xfe bytes), with 2 as a block of the layout
// before schema 18 (one frame, its format byte first); with 0 it reads the
// rest as stored. What decodes must encode and decode to the same places, and
// each place read alone must be the decoded one.
#include "store/event_block.hpp"
#include "util/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

auto fields(const natfw::BlockEvent& b)
{
    const auto& e = b.event;
    return std::tie(b.forgotten, e.time, e.kind, e.user, e.profile, e.connection, e.vpn_proto, e.ip4, e.ip6,
                    e.originating, e.position);
}

std::string seal(std::string_view rest)
{
    if (rest.size() < 4)
        return std::string(rest);
    std::uint16_t frame_events = 0, places = 0;
    std::memcpy(&frame_events, rest.data(), 2);
    std::memcpy(&places, rest.data() + 2, 2);
    rest.remove_prefix(4);
    constexpr std::string_view end_of_frame("\xfe\xfe\xfe\xfe", 4);
    std::vector<std::string> frames;
    while (!rest.empty()) {
        auto end = rest.find(end_of_frame);
        frames.emplace_back(rest.substr(0, end));
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + end_of_frame.size());
    }
    return natfw::seal_event_block_for_tests(frames, frame_events, places);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string sealed = data[0] % 3 == 1   ? seal(rest)
                         : data[0] % 3 == 2 ? natfw::seal_old_event_block_for_tests(rest)
                                            : std::string(rest);
    std::vector<natfw::BlockEvent> places;
    try {
        places = natfw::decode_event_block(sealed);
    } catch (const natfw::Error&) {
        // Refused with a reason: what a damaged block must get. A place read
        // alone may be refused too, or read when it lies before the damage.
        natfw::EventBlockPlaces one;
        one.open(sealed);
        for (std::size_t i = 0; i < 3; ++i)
            try {
                (void)one.at(i);
            } catch (const natfw::Error&) {
            }
        return 0;
    }
    auto again = natfw::decode_event_block(natfw::encode_event_block(places));
    if (again.size() != places.size())
        std::abort();
    natfw::EventBlockPlaces one;
    one.open(sealed);
    for (std::size_t i = 0; i < places.size(); ++i) {
        if (fields(again[i]) != fields(places[i]))
            std::abort();
        // From the end back, so that frames are decompressed again.
        auto alone = one.at(places.size() - 1 - i);
        if (!alone || fields(*alone) != fields(places[places.size() - 1 - i]))
            std::abort();
    }
    if (one.at(places.size()))
        std::abort();
    return 0;
}
