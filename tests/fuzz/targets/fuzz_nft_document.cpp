// nftables text as a snapshot holds it: tokens, defines, blocks, commands.
// What parses must hold together: every rule has tokens, lines in order, and
// text taken from the file.
#include "parse/nft_document.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view content(reinterpret_cast<const char*>(data), size);
    auto doc = natfw::parse_nft_document(content);
    if (doc.unusable)
        return 0;
    for (const auto& table : doc.tables)
        for (const auto& chain : table.chains) {
            if (chain.is_base() && !chain.priority)
                __builtin_trap();
            for (const auto& rule : chain.rules)
                if (rule.tokens.empty() || rule.line < 1 || rule.last_line < rule.line || rule.text.empty() ||
                    rule.text.size() > content.size())
                    __builtin_trap();
        }
    return 0;
}
