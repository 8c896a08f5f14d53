#pragma once
// An nftables ruleset's NAT for one address family as one table of Rules, in the shape the
// first-match stage walks for iptables: every `type nat` base chain of the
// `ip` and `inet` tables (for IPv6: `ip6` and `inet`), per hook in priority order (lower first), is
// called from a chain named after its hook (POSTROUTING, PREROUTING, OUTPUT,
// INPUT), as if that chain jumped to each in turn. A mapping ends the walk
// (the first one wins, later chains are not consulted); `accept` ends only
// its base chain (k_nft_accept); `return` in a base chain ends it too.
// Chains are named "FAMILY TABLE CHAIN" (nft names hold no spaces).
#include "parse/nft_document.hpp"
#include "parse/ruleset.hpp"

namespace natfw {

/// The calls from the hook chains carry the base chain's line and this text.
/// Rules of `inet` tables that match only the other family's packets are left out.
ParsedRuleset nft_nat(const NftDocument& doc, Family family = Family::ipv4);

} // namespace natfw
