#pragma once
// A rule as the index stores it, read back into the parser's Rule.
#include "parse/ruleset.hpp"

#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// Reads the current row of a statement selecting, from column `first` on:
/// position, line, chain, target, proto, proto_negated, src_lo, src_hi,
/// src_negated, to_lo, to_hi, port_lo, port_hi, conditions, text, goto_chain
/// (the rule rows of schema 11 and before, sql::k_v11_rules).
Rule stored_rule(SQLite::Statement& st, int first = 0);

/// Whether a rule's text continues with `-g CHAIN` / `--goto CHAIN` (read
/// from the text only for rules indexed before the flag was stored).
bool continues_with_goto(std::string_view rule_text);

/// What a person needs to see of a rule beyond its hit.
struct RuleDetail {
    std::string text;
    std::vector<std::string> conditions;
};


} // namespace natfw
