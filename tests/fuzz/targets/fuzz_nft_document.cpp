// nftables text as a snapshot holds it: tokens, defines, blocks, commands,
// each rule read in the terms of Rule, and the IPv4 NAT joined and walked for
// first match. What parses must hold together: every rule has tokens, lines
// in order, text taken from the file, and the Rules it stands for carry its line.
#include "derive/nat_cells.hpp"
#include "parse/nft_document.hpp"
#include "parse/nft_rule.hpp"
#include "parse/nft_ruleset.hpp"

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
            for (const auto& rule : chain.rules) {
                if (rule.tokens.empty() || rule.line < 1 || rule.last_line < rule.line || rule.text.empty() ||
                    rule.text.size() > content.size())
                    __builtin_trap();
                auto reading = natfw::read_nft_rule(rule, table, chain.name);
                for (const auto& r : reading.rules)
                    if (r.line != rule.line || r.chain != chain.name)
                        __builtin_trap();
            }
        }
    auto joined = natfw::nft_ipv4_nat(doc);
    if (!joined.unusable)
        natfw::derive_ruleset(joined.nat_rules);
    return 0;
}
