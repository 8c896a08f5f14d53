#pragma once
// Findings about a usable ruleset that matter to whoever reads its answers:
// source-NAT rules that never apply (shadowed, or in a chain nothing jumps
// to), rules giving the same public port to different sources, and port
// blocks inside the NAT host's own ephemeral range.
#include "derive/first_match.hpp"
#include "derive/first_match6.hpp"
#include "derive/nat_cells.hpp"
#include "parse/ruleset.hpp"

#include <vector>

namespace natfw {

/// Findings of kind check. At most a few per kind of finding, then a count.
std::vector<Diagnostic> check_ruleset(const std::vector<Rule>& rules, const ReachMap& reach,
                                      const std::vector<NatCell>& cells);

/// The same for an IPv6 ruleset, less the overlaps (which need cells of the public side).
std::vector<Diagnostic> check_ruleset6(const std::vector<Rule>& rules, const ReachMap6& reach);

} // namespace natfw
