#pragma once
// What a snapshot's *nat table says, as parsed: the rules with the fields a
// lookup needs, plus everything noticed on the way.
#include "util/ipv4.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

struct PortRange {
    std::uint16_t lo = 1;
    std::uint16_t hi = 65535;
    friend bool operator==(const PortRange&, const PortRange&) = default;
};

/// The packets' source a rule applies to (`-s`, or `-m iprange --src-range`).
struct SourceMatch {
    Ipv4Range range{0, 0xFFFFFFFFu};
    bool negated = false;
    /// "0.0.0.0/0" when the rule has no source condition.
    std::string describe() const;
    bool single_host() const { return !negated && range.single(); }
    friend bool operator==(const SourceMatch&, const SourceMatch&) = default;
};

struct Rule {
    int position = 0; ///< evaluation order across the table, from 0
    int line = 0;     ///< 1-based line in the snapshot file
    std::string chain;
    std::string target; ///< SNAT, MASQUERADE, DNAT, a user chain, ...
    bool goto_chain = false; ///< `-g CHAIN`: no return to this chain afterwards
    /// Lower-case protocol name (`tcp`), or empty for any protocol.
    std::string proto;
    bool proto_negated = false;
    SourceMatch source;
    /// SNAT/DNAT address or address range (`--to-source A[-B]`).
    std::optional<Ipv4Range> to_addresses;
    /// Port block of SNAT/DNAT (`:lo-hi`) or MASQUERADE/REDIRECT `--to-ports`.
    std::optional<PortRange> to_ports;
    /// Conditions a lookup cannot evaluate (`-o eth0`, `-d ...`, an unknown
    /// match), in iptables syntax; the rule may or may not match.
    std::vector<std::string> conditions;
    std::string text; ///< the line as in the file, without its line end
};

struct Diagnostic {
    int line = 0; ///< 0: the file as a whole
    std::string message;
};

struct ParsedRuleset {
    bool has_nat_table = false;
    std::vector<Rule> nat_rules;
    std::vector<Diagnostic> warnings;
    /// Set when iptables-restore would refuse the *nat table: the first fault.
    std::optional<Diagnostic> unusable;
};

} // namespace natfw
