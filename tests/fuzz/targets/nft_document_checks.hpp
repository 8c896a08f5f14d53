#pragma once
// What an nft document read from any input must hold together, for the nft
// fuzz targets: base chains have a priority, rules a line and tokens, and the
// Rules a rule stands for carry its line and chain, read for either family;
// then each family's NAT is joined and walked for first match.
#include "derive/first_match6.hpp"
#include "derive/nat_cells.hpp"
#include "parse/nft_document.hpp"
#include "parse/nft_rule.hpp"
#include "parse/nft_ruleset.hpp"

#include <functional>

namespace natfw::fuzz {

/// Traps on a broken invariant; `rule_holds` adds the reader's own checks per rule.
inline void check_nft_document(const NftDocument& doc, const std::function<bool(const NftRule&)>& rule_holds)
{
    for (const auto& table : doc.tables)
        for (const auto& chain : table.chains) {
            if (chain.is_base() && !chain.priority)
                __builtin_trap();
            for (const auto& rule : chain.rules) {
                if (rule.line < 1 || rule.last_line < rule.line || !rule_holds(rule))
                    __builtin_trap();
                for (auto family : {Family::ipv4, Family::ipv6}) {
                    auto reading = read_nft_rule(rule, table, chain.name, family);
                    for (const auto& r : reading.rules)
                        if (r.line != rule.line || r.chain != chain.name)
                            __builtin_trap();
                }
            }
        }
    auto joined = nft_nat(doc);
    if (!joined.unusable)
        derive_ruleset(joined.nat_rules);
    auto six = nft_nat(doc, Family::ipv6);
    if (!six.unusable)
        evaluate_first_match6(six.nat_rules);
}

} // namespace natfw::fuzz
