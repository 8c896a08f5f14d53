#pragma once
#include "parse/ruleset.hpp"

#include <string_view>

namespace natfw {

/// Parses a file in iptables-restore format (what the seed generator writes
/// and what iptables-save prints). Never throws on bad content: faults in the
/// *nat table make the result unusable, faults elsewhere are warnings.
/// `family` ipv6 reads ip6tables-save (rules.v6): IPv6 sources and targets.
ParsedRuleset parse_ruleset(std::string_view content, Family family = Family::ipv4);

} // namespace natfw
