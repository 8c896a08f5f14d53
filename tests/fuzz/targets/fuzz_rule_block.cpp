// Rule blocks as read from an index that may be damaged. The compression's
// checksum refuses almost every damaged block at once, so the layout beneath
// is fuzzed too: `data[0]` odd seals the rest as a block. What decodes must
// encode and decode to the same rules.
#include "store/rule_block.hpp"
#include "util/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <tuple>

namespace {

auto fields(const natfw::Rule& r)
{
    return std::tie(r.position, r.line, r.chain, r.target, r.goto_chain, r.proto, r.proto_negated, r.source,
                    r.to_addresses, r.to_ports, r.conditions, r.text);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size < 1)
        return 0;
    std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
    std::string body = data[0] & 1 ? natfw::seal_rule_block_for_tests(rest) : std::string(rest);
    try {
        auto rules = natfw::decode_rule_block(body);
        auto blocks = natfw::encode_rule_blocks(rules);
        if (blocks.size() != (rules.empty() ? 0u : 1u))
            std::abort();
        if (rules.empty())
            return 0;
        auto again = natfw::decode_rule_block(blocks[0].body);
        if (again.size() != rules.size())
            std::abort();
        for (std::size_t i = 0; i < rules.size(); ++i)
            if (fields(again[i]) != fields(rules[i]))
                std::abort();
    } catch (const natfw::Error&) {
        // refused with a reason: what a damaged block must get
    }
    return 0;
}
