// Cell blocks as read from an index that may be damaged. The input is a flag
// byte, the key the block's row gives (protocol, column, first port: 7
// bytes), then the body; `data[0]` odd seals the body as a block, so that
// the layout beneath the compression's checksum is fuzzed too. What decodes
// must encode into blocks that decode to the same cells.
#include "store/cell_block.hpp"
#include "util/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 8)
        return 0;
    natfw::CellBlockKey key;
    key.proto = data[1];
    std::memcpy(&key.pub_lo, data + 2, 4);
    std::memcpy(&key.port_lo, data + 6, 2);
    std::string_view rest(reinterpret_cast<const char*>(data + 8), size - 8);
    std::string body = data[0] & 1 ? natfw::seal_cell_block_for_tests(rest) : std::string(rest);
    try {
        auto cells = natfw::decode_cell_block(body, key);
        std::vector<natfw::NatCell> again;
        for (const auto& b : natfw::encode_cell_blocks(cells)) {
            if (b.key.proto != key.proto || b.key.pub_lo != key.pub_lo)
                std::abort(); // one block's cells share their column
            for (const auto& c : natfw::decode_cell_block(b.body, b.key))
                again.push_back(c);
        }
        if (again != cells)
            std::abort();
    } catch (const natfw::Error&) {
        // refused with a reason: what a damaged block must get
    }
    return 0;
}
