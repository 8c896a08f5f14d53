#pragma once
// First match (derive/first_match.hpp) for a ruleset of the IPv6 timeline.
// Its sources are 128-bit ranges, but a ruleset names only a few of them:
// the address space cut at every rule's source bounds has at most 2n + 1
// pieces, each of which every rule takes whole or not at all. Numbering the
// pieces gives an IPv4-sized space in which the IPv4 evaluation runs as it
// is; its sets are read back as IPv6 ranges.
#include "parse/ruleset.hpp"
#include "util/ipv6.hpp"

#include <map>
#include <utility>
#include <vector>

namespace natfw {

struct RuleReach6 {
    std::vector<Ipv6Range> reach;    ///< the part no earlier rule takes for certain; empty: shadowed
    std::vector<Ipv6Range> excluded; ///< the rest of its written source: taken by earlier rules or jumps
    std::vector<int> taken_by;       ///< lines of earlier rules that take part of its source
};

/// Keyed by (rule position, protocol 6 or 17), as ReachMap.
using ReachMap6 = std::map<std::pair<int, int>, RuleReach6>;

/// `rules` hold their sources in Rule::source6 (and `!` in source.negated).
ReachMap6 evaluate_first_match6(const std::vector<Rule>& rules, bool* approximated = nullptr);

/// Ranges as people read them, joined by ", ".
std::string describe_ranges(const std::vector<Ipv6Range>& ranges);

} // namespace natfw
