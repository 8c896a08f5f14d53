#pragma once
// iptables evaluates nat POSTROUTING in order and the first terminal rule a
// connection matches decides its NAT. This works out, for every source-NAT
// rule and protocol, which sources can still reach it: its own source minus
// what earlier rules certainly take (jumps into user chains, RETURN and goto
// included). Conditions a lookup cannot know (`-o`, `-d`, unknown matches)
// make a rule "may match": it takes nothing from later rules, except from
// those that carry the same conditions (both match or neither does).
#include "parse/ruleset.hpp"
#include "derive/reach_map.hpp"
#include "util/ipv4_set.hpp"

#include <vector>

namespace natfw {

/// Polynomial in the ruleset's size whatever the nesting. A ruleset whose
/// jumps are too intricate to follow within a budget of steps gets every
/// reachable source-NAT rule with its whole source (more candidates, never a
/// wrong single one) and `*approximated` set.
ReachMap evaluate_first_match(const std::vector<Rule>& rules, bool* approximated = nullptr);

/// The addresses a rule's `-s` (with `!`) matches.
Ipv4Set source_set(const SourceMatch& source);

} // namespace natfw
