// Session blocks as read from an index that may be damaged. The input is the
// /24 its row gives (4 bytes), then the body. What decodes must give views
// within the block, and encode again to the same bytes.
#include "store/session_block.hpp"
#include "util/errors.hpp"
#include "util/page_arena.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 4)
        return 0;
    std::uint32_t net = 0;
    std::memcpy(&net, data, 4);
    net &= 0xFFFFFF;
    std::string_view body(reinterpret_cast<const char*>(data + 4), size - 4);
    try {
        // Half the inputs decode into arena memory, block after block into
        // one arena as a batch's reader does (an arena per input cost a
        // fresh 8 MiB chunk each: 30 times slower under AddressSanitizer).
        static natfw::PageArena arena;
        auto block = natfw::decode_session_block(body, net, size % 2 == 0 ? &arena : nullptr);
        std::size_t seen = 0;
        for (unsigned host = 0; host < 256; ++host) {
            auto v = block.of(net << 8 | host);
            for (std::size_t i = 0; i < v.size; ++i)
                if (v.user(i).size() > block.names.size() || (i > 0 && v.start(i - 1) > v.start(i)))
                    std::abort();
            seen += v.size;
        }
        if (seen != block.session_count())
            std::abort(); // every session belongs to one address
        // Bytes that decode but were not written by the encoder (a user named
        // twice, names no session uses, sessions of one start in another
        // order than the encoder's) need not encode the same; what encodes
        // must decode to the same sessions, in the encoder's order, which a
        // second encoding keeps byte for byte.
        auto sessions = block.sessions();
        const auto encoded = natfw::encode_session_block(net, sessions);
        auto again = natfw::decode_session_block(encoded, net).sessions();
        if (!std::is_permutation(again.begin(), again.end(), sessions.begin(), sessions.end()) ||
            natfw::encode_session_block(net, again) != encoded)
            std::abort();
    } catch (const natfw::Error&) {
        // refused with a reason: what a damaged block must get
    }
    return 0;
}
