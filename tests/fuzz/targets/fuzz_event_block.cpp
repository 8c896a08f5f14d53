// Connection event blocks as read from an index that may be damaged. The
// compression's checksum refuses almost every damaged block at once, so the
// layout beneath is fuzzed too: `data[0]` odd seals the rest as a block. What
// decodes must encode and decode to the same places.
#include "store/event_block.hpp"
#include "util/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>

namespace {

auto fields(const natfw::BlockEvent& b)
{
    const auto& e = b.event;
    return std::tie(b.forgotten, e.time, e.kind, e.user, e.profile, e.connection, e.vpn_proto, e.ip4, e.ip6,
                    e.originating, e.position);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string sealed = data[0] & 1 ? natfw::seal_event_block_for_tests(rest) : std::string(rest);
    try {
        auto places = natfw::decode_event_block(sealed);
        auto again = natfw::decode_event_block(natfw::encode_event_block(places));
        if (again.size() != places.size())
            std::abort();
        for (std::size_t i = 0; i < places.size(); ++i)
            if (fields(again[i]) != fields(places[i]))
                std::abort();
    } catch (const natfw::Error&) {
        // refused with a reason: what a damaged block must get
    }
    return 0;
}
