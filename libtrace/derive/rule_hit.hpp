#pragma once
// What a ruleset's cells say about one public address and port: the rules
// covering it, as the cells and the reach record them.
#include "parse/ruleset.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace natfw {

/// A source-NAT rule covering a looked-up address and port.
struct RuleHit {
    int position = 0;
    int line = 0;
    SourceMatch source;
    std::optional<PortRange> ports;
    bool masquerade = false;
    /// First match: no connection reaches this rule; never a candidate.
    bool never = false;
    /// When earlier rules take part of the rule's source: `source` is the
    /// range still reaching it, `excluded` what inside that range does not,
    /// for people (e.g. "10.0.0.2-10.0.0.3"), `taken_by` the lines of the
    /// rules that take it. Views into the history's storage.
    std::string_view excluded;
    std::span<const std::int32_t> taken_by;
};

} // namespace natfw
