#pragma once
// Cuts a ruleset's (public address x port) plane into disjoint cells so that
// a lookup finds every covering rule with two seeks instead of a scan.
#include "derive/first_match.hpp"
#include "parse/ruleset.hpp"

#include <cstdint>
#include <vector>

namespace natfw {

/// A cell's flags as the index stores them (store/cell_block).
inline constexpr int k_cell_masquerade = 1;
inline constexpr int k_cell_never = 2;

struct NatCell {
    int proto = 0;
    Ipv4 pub_lo = 0;
    Ipv4 pub_hi = 0;
    std::uint16_t port_lo = 0;
    std::uint16_t port_hi = 0;
    int position = 0; ///< the covering rule
    bool masquerade = false;
    /// First match: no source reaches the rule. Kept so that an answer can
    /// say why a rule covering the port is not a candidate.
    bool never = false;
    friend bool operator==(const NatCell&, const NatCell&) = default;
};

/// The cells for tcp and udp. Within one protocol, cells with different
/// (pub_lo, port_lo) never overlap; a cell lists every source-NAT rule that
/// covers it; rules no source can reach (`reach`, evaluate_first_match) are
/// marked `never`.
/// An SNAT rule without a port block covers every port; a MASQUERADE rule
/// covers every public address (its address is the interface's, unknown here).
std::vector<NatCell> build_nat_cells(const std::vector<Rule>& rules, const ReachMap& reach);

/// What the index derives from a ruleset's rules.
struct DerivedRuleset {
    ReachMap reach;
    std::vector<NatCell> cells;
    bool approximated = false; ///< see evaluate_first_match
};
DerivedRuleset derive_ruleset(const std::vector<Rule>& rules);

} // namespace natfw
