#pragma once
#include "parse/ruleset.hpp"
#include "util/tokenize.hpp"

#include <set>
#include <span>
#include <string>
#include <vector>

namespace natfw {

/// What reading one rule's options found.
struct RuleProblems {
    /// Why iptables-restore would refuse the rule (and so the table), if it would.
    std::optional<std::string> fault;
    /// Things iptables accepts that this parser does not understand.
    std::vector<std::string> warnings;
};

/// Fills `rule` from the options after `-A CHAIN` (counters already removed).
/// `user_chains` are the chains the table declares, as jump targets; `family`
/// ipv6 reads addresses as ip6tables writes them.
RuleProblems parse_rule_options(std::span<const Token> options, const std::set<std::string>& user_chains,
                                Rule& rule, Family family = Family::ipv4);

} // namespace natfw
