// nft -j JSON as a snapshot holds it: the document, each rule written back as
// nft text and read in the terms of Rule, and the IPv4 NAT joined and walked
// for first match. What reads must hold together: rules carry tokens, a line
// and their text, and the Rules they stand for carry that line.
#include "derive/nat_cells.hpp"
#include "parse/nft_json.hpp"
#include "parse/nft_rule.hpp"
#include "parse/nft_ruleset.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view content(reinterpret_cast<const char*>(data), size);
    auto doc = natfw::parse_nft_json(content);
    if (doc.unusable)
        return 0;
    for (const auto& table : doc.tables)
        for (const auto& chain : table.chains) {
            if (chain.is_base() && !chain.priority)
                __builtin_trap();
            for (const auto& rule : chain.rules) {
                if (rule.line < 1 || rule.last_line != rule.line)
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
