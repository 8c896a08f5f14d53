#pragma once
// A rule as the index stores it, read back into the parser's Rule.
#include "ruleset.hpp"

#include <SQLiteCpp/Statement.h>

namespace natfw {

/// Reads the current row of a statement selecting, in this order:
/// position, line, chain, target, proto, proto_negated, src_lo, src_hi,
/// src_negated, to_lo, to_hi, port_lo, port_hi, conditions, text
/// (sql::k_ruleset_rules and the lookups that read whole rules).
/// `-g` is only in the text, so goto_chain is read from it.
Rule stored_rule(SQLite::Statement& st);

} // namespace natfw
