#pragma once
// What one nftables rule says, in the terms the first-match stage already
// knows (Rule, parse/ruleset.hpp): its source, protocol, conditions a lookup
// cannot evaluate, and its verdict or NAT statement with address and ports.
// A rule that matches a set of sources or protocols, or maps sources through
// a map, stands for one Rule per (source, protocol, map element), in order:
// evaluating them one after another takes what the single rule would.
//
// Targets take iptables' names (SNAT, MASQUERADE, DNAT, REDIRECT, DROP,
// RETURN, a chain), except `accept`, which ends less in nftables than ACCEPT
// does in iptables (k_nft_accept).
#include "parse/nft_document.hpp"
#include "parse/ruleset.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

struct NftRuleReading {
    std::vector<Rule> rules; ///< position 0; line, chain and text from the rule
    /// Expressions and statements not understood: the rule may match (as its conditions say).
    std::vector<std::string> warnings;
    /// Why `nft -f` would refuse the rule (and so the file).
    std::optional<std::string> fault;
    /// The rule matches only packets of the other family (`ip6 saddr` or
    /// `snat ip6 to` read for IPv4, `ip saddr` read for IPv6): never one of this timeline's.
    bool other_family = false;
};

/// Reads `rule` of chain `chain` in `table` (whose named sets and maps it may
/// use) as the packets of `family` meet it: an inet table's rules are read
/// once for each family.
NftRuleReading read_nft_rule(const NftRule& rule, const NftTable& table, std::string_view chain,
                             Family family = Family::ipv4);

} // namespace natfw
