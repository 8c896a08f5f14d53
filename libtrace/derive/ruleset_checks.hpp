#pragma once
// Findings about a usable ruleset that matter to whoever reads its answers:
// source-NAT rules that never apply (shadowed, or in a chain nothing jumps
// to), rules giving the same public port to different sources, and port
// blocks inside the NAT host's own ephemeral range.
#include "derive/first_match.hpp"
#include "derive/nat_cells.hpp"
#include "parse/ruleset.hpp"

#include <vector>

namespace natfw {

/// Findings of kind check. At most a few per kind of finding, then a count.
std::vector<Diagnostic> check_ruleset(const std::vector<Rule>& rules, const ReachMap& reach,
                                      const std::vector<NatCell>& cells);

} // namespace natfw
