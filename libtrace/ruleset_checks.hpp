#pragma once
// Findings about a usable ruleset that matter to whoever reads its answers:
// source-NAT rules that never apply (shadowed, or in a chain nothing jumps
// to), rules giving the same public port to different sources, and port
// blocks inside the NAT host's own ephemeral range.
#include "first_match.hpp"
#include "nat_cells.hpp"
#include "ruleset.hpp"

#include <vector>

namespace natfw {

/// Linux's default net.ipv4.ip_local_port_range: the NAT host's own
/// connections take their source ports from it.
inline constexpr PortRange k_default_ephemeral{32768, 60999};

/// Each message starts with "check: ". At most a few per kind, then a count.
std::vector<Diagnostic> check_ruleset(const std::vector<Rule>& rules, const ReachMap& reach,
                                      const std::vector<NatCell>& cells);

} // namespace natfw
