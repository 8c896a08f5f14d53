#pragma once
// Reading a ruleset's rules from their blocks (store/rule_block.hpp): all of
// them, the one a cell names, those whose source holds an address, and those
// inbound lookups read. Each asks SQL only for the blocks that can hold what
// it wants; the last block decoded is kept, as a lookup reads one rule's
// fields and then its text.
#include "parse/ruleset.hpp"
#include "store/lazy_statement.hpp"

#include <cstdint>
#include <vector>

namespace natfw {

class RuleBlocks {
public:
    explicit RuleBlocks(SQLite::Database& db);

    std::vector<Rule> all(std::int64_t ruleset);
    /// The rule at `position`; throws IndexDamaged when the ruleset has none
    /// (a cell or reach row names it, so the index is damaged).
    const Rule& at(std::int64_t ruleset, int position);
    /// Appends, in rule order, the rules whose source (-s, `!` applied) holds `address`.
    void holding_source(std::int64_t ruleset, Ipv4 address, std::vector<Rule>& out);
    /// Appends, in rule order, the rules an inbound lookup reads (is_inbound_kind).
    void inbound(std::int64_t ruleset, std::vector<Rule>& out);

private:
    /// Decodes the block in the statement's current row (first_position, body).
    std::vector<Rule> decode(SQLite::Statement& st, std::int64_t ruleset);

    LazyStatement m_blocks, m_block_of_rule, m_for_source, m_inbound;
    std::int64_t m_cached_ruleset = -1;
    int m_cached_first = -1;
    std::vector<Rule> m_cached;
};

} // namespace natfw
