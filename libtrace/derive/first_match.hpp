#pragma once
// iptables evaluates nat POSTROUTING in order and the first terminal rule a
// connection matches decides its NAT. This works out, for every source-NAT
// rule and protocol, which sources can still reach it: its own source minus
// what earlier rules certainly take (jumps into user chains, RETURN and goto
// included). Conditions a lookup cannot know (`-o`, `-d`, unknown matches)
// make a rule "may match": it takes nothing from later rules, except from
// those that carry the same conditions (both match or neither does).
#include "parse/ruleset.hpp"
#include "util/ipv4_set.hpp"

#include <map>
#include <utility>
#include <vector>

namespace natfw {

struct RuleReach {
    Ipv4Set source;   ///< the rule's own source (within the jumps that lead to it)
    Ipv4Set reach;    ///< the part no earlier rule takes for certain; empty: shadowed
    std::vector<int> taken_by; ///< lines of earlier rules that take part of `source` (at most a few)
    /// The source as the rule writes it, without the jumps: what a reader of
    /// the index assumes when no reach is stored for the rule.
    Ipv4Set written;
    /// Reached by less than its written source: by earlier rules, or by the
    /// jumps leading to it (a chain entered after other chains took some sources).
    bool partial() const { return !reach.empty() && reach != written; }
};

/// Keyed by (rule position, protocol 6 or 17), for the source-NAT rules
/// reachable from POSTROUTING that apply to the protocol.
using ReachMap = std::map<std::pair<int, int>, RuleReach>;

/// Polynomial in the ruleset's size whatever the nesting. A ruleset whose
/// jumps are too intricate to follow within a budget of steps gets every
/// reachable source-NAT rule with its whole source (more candidates, never a
/// wrong single one) and `*approximated` set.
ReachMap evaluate_first_match(const std::vector<Rule>& rules, bool* approximated = nullptr);

/// The addresses a rule's `-s` (with `!`) matches.
Ipv4Set source_set(const SourceMatch& source);

} // namespace natfw
