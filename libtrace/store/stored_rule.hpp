#pragma once
// A rule as the index stores it, read back into the parser's Rule.
#include "parse/ruleset.hpp"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <vector>

namespace natfw {

/// Reads the current row of a statement selecting, in this order:
/// position, line, chain, target, proto, proto_negated, src_lo, src_hi,
/// src_negated, to_lo, to_hi, port_lo, port_hi, conditions, text
/// (sql::k_ruleset_rules and the lookups that read whole rules).
/// `-g` is only in the text, so goto_chain is read from it.
Rule stored_rule(SQLite::Statement& st);

/// What a person needs to see of a rule beyond its hit.
struct RuleDetail {
    std::string text;
    std::vector<std::string> conditions;
};


/// Runs the prepared sql::k_rule_detail statement for one rule.
RuleDetail fetch_rule_detail(SQLite::Statement& st, std::int64_t ruleset, int position);

} // namespace natfw
