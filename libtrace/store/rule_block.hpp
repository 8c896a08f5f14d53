#pragma once
// A ruleset's rules stored in blocks: up to k_block_rules consecutive rules,
// every field, written as one compressed value. Rules were rows with their
// text and two indexes over them, three times the bytes of the snapshot
// files; the rules of a block share most of their text, so zstd takes them
// to a tenth. A lookup decodes the one block holding the rule it cites.
#include "parse/ruleset.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

inline constexpr std::size_t k_block_rules = 512;

/// What a block's row says about its rules without decoding them, so that
/// readers decode only the blocks that can hold what they look for.
struct RuleBlockSummary {
    int first_position = 0;
    int last_position = 0;
    /// The smallest and largest single-host source (-s A, not negated), if any.
    std::optional<std::pair<Ipv4, Ipv4>> hosts;
    bool wide = false;    ///< a rule with a wider or negated source
    bool inbound = false; ///< a rule inbound lookups read (is_inbound_kind)
};

struct EncodedRuleBlock {
    RuleBlockSummary summary;
    std::string body;
};

/// Targets an inbound (DNAT) lookup reads: DNAT itself and the verdicts that end its search.
bool is_inbound_kind(const Rule& rule);

/// The rules, in their order, cut into blocks of at most k_block_rules.
std::vector<EncodedRuleBlock> encode_rule_blocks(const std::vector<Rule>& rules);

/// Throws Error when `body` is not a block this code wrote (damaged or foreign).
std::vector<Rule> decode_rule_block(std::string_view body);

/// Compresses `plain` as a block's layout would be: for the fuzz target, so
/// that it reaches the layout past the compression's own checks.
std::string seal_rule_block_for_tests(std::string_view plain);

} // namespace natfw
