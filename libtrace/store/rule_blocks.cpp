#include "store/rule_blocks.hpp"

#include "store/database.hpp"
#include "store/rule_block.hpp"
#include "store/sql_values.hpp"
#include "store/statements.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace natfw {

RuleBlocks::RuleBlocks(SQLite::Database& db)
    : m_blocks(db, sql::k_ruleset_blocks), m_block_of_rule(db, sql::k_block_of_rule),
      m_for_source(db, sql::k_blocks_for_source), m_inbound(db, sql::k_inbound_blocks)
{
}

std::vector<Rule> RuleBlocks::decode(SQLite::Statement& st, std::int64_t ruleset)
{
    const int first = st.getColumn(0).getInt();
    try {
        auto rules = decode_rule_block(blob_view(st.getColumn(1)));
        if (rules.empty() || rules.front().position != first)
            throw Error("its rules do not start where its row says");
        return rules;
    } catch (const Error& e) {
        throw IndexDamaged(fmt::format("ruleset {}, the block of rules from position {}: {}", ruleset, first,
                                       e.what()));
    }
}

std::vector<Rule> RuleBlocks::all(std::int64_t ruleset)
{
    std::vector<Rule> out;
    auto& st = *m_blocks;
    st.reset();
    st.bind(1, ruleset);
    while (st.executeStep())
        for (auto& r : decode(st, ruleset))
            out.push_back(std::move(r));
    return out;
}

const Rule& RuleBlocks::at(std::int64_t ruleset, int position)
{
    auto in_cache = [&] {
        return m_cached_ruleset == ruleset && !m_cached.empty() && m_cached_first <= position &&
               position <= m_cached.back().position;
    };
    if (!in_cache()) {
        auto& st = *m_block_of_rule;
        st.reset();
        st.bind(1, ruleset);
        st.bind(2, position);
        m_cached.clear();
        m_cached_ruleset = -1;
        if (st.executeStep()) {
            m_cached = decode(st, ruleset);
            m_cached_ruleset = ruleset;
            m_cached_first = m_cached.front().position;
        }
    }
    auto it = std::lower_bound(m_cached.begin(), m_cached.end(), position,
                               [](const Rule& r, int p) { return r.position < p; });
    if (!in_cache() || it == m_cached.end() || it->position != position)
        throw IndexDamaged(fmt::format("ruleset {} has no rule at position {}", ruleset, position));
    return *it;
}

void RuleBlocks::holding_source(std::int64_t ruleset, Ipv4 address, std::vector<Rule>& out)
{
    auto& st = *m_for_source;
    st.reset();
    st.bind(1, ruleset);
    st.bind(2, static_cast<std::int64_t>(address));
    while (st.executeStep())
        for (auto& r : decode(st, ruleset)) {
            const auto& src = r.source;
            const bool inside = src.range.lo <= address && address <= src.range.hi;
            if (inside != src.negated)
                out.push_back(std::move(r));
        }
}

void RuleBlocks::inbound(std::int64_t ruleset, std::vector<Rule>& out)
{
    auto& st = *m_inbound;
    st.reset();
    st.bind(1, ruleset);
    while (st.executeStep())
        for (auto& r : decode(st, ruleset))
            if (is_inbound_kind(r))
                out.push_back(std::move(r));
}

} // namespace natfw
