#pragma once
// How the *nat table's chains jump into each other. iptables-restore refuses
// a table whose jumps form a loop (both backends), and the nf_tables backend
// refuses jumps nested 16 deep or more; a lookup has to know which of those a
// snapshot is, before it walks the chains.
#include "parse/ruleset.hpp"

#include <optional>
#include <vector>

namespace natfw {

struct JumpGraph {
    /// A jump (or goto) that closes a loop, with the loop spelled out.
    std::optional<Diagnostic> loop;
    /// The most user chains a packet passes through from a built-in chain
    /// (POSTROUTING -> C1 -> C2: 2). 0 when nothing jumps. Only meaningful
    /// without a loop.
    int depth = 0;
};

/// Linear in the number of rules and chains, whatever the nesting.
JumpGraph analyse_jumps(const std::vector<Rule>& rules);

/// The nf_tables backend of iptables 1.8.9 answers "Too many links" from this
/// nesting on; iptables-legacy-restore accepts any depth.
inline constexpr int k_nftables_max_depth = 16;

} // namespace natfw
