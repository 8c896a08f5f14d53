#include "query/timeline6.hpp"

#include "store/snapshot_row_check.hpp"
#include "store/indexed_file.hpp"
#include "store/statements.hpp"
#include "store/timeline6_store.hpp"

namespace natfw {

Timeline6::Timeline6(SQLite::Database& db) : m_db(db) {}

bool Timeline6::any()
{
    if (!m_any) {
        SQLite::Statement st(m_db, sql::k_any_snapshot6);
        m_any = st.executeStep() && st.getColumn(0).getInt() != 0;
    }
    return *m_any;
}

SnapshotPtr Timeline6::read_one(SQLite::Statement& st, const NodeRef& node, UnixSeconds t)
{
    st.reset();
    st.bind(1, node.id);
    st.bind(2, static_cast<std::int64_t>(t));
    if (!st.executeStep())
        return nullptr;
    return row(st, node);
}

void Timeline6::unusable_between(const NodeRef& node, UnixSeconds after, UnixSeconds upto,
                                 std::vector<UnusableRef>& out)
{
    out.clear();
    if (!any())
        return;
    // Asked on every IPv6 lookup: prepared once.
    if (!m_unusable)
        m_unusable.emplace(m_db, sql::k_unusable_snapshots6_between);
    auto& st = *m_unusable;
    st.reset();
    st.bind(1, node.id);
    st.bind(2, static_cast<std::int64_t>(after));
    st.bind(3, static_cast<std::int64_t>(upto));
    st.bind(4, std::string(k_not_in_ipv6_timeline));
    while (st.executeStep()) {
        require_snapshot_row(st.getColumn(6).getString(), st.getColumn(4).getInt64(), node.id,
                             st.getColumn(1).getInt64(), st.getColumn(0).getString(), st.getColumn(5).getString(),
                             std::nullopt);
        out.push_back({st.getColumn(0).getString(), st.getColumn(1).getInt64(), st.getColumn(2).getInt(),
                       st.getColumn(3).getString()});
    }
}

void Timeline6::usable_snapshots(const NodeRef& node, std::vector<SnapshotPtr>& out)
{
    out.clear();
    if (!any())
        return;
    SQLite::Statement st(m_db, sql::k_usable_snapshots6);
    st.bind(1, node.id);
    while (st.executeStep())
        out.push_back(row(st, node));
}

SnapshotPtr Timeline6::row(SQLite::Statement& st, const NodeRef& node)
{
    auto id = st.getColumn(0).getInt64();
    if (auto it = m_by_id.find(id); it != m_by_id.end())
        return it->second;
    require_snapshot_row(st.getColumn(11).getString(), id, node.id, st.getColumn(1).getInt64(),
                         st.getColumn(2).getString(), st.getColumn(3).getString(), st.getColumn(4).getInt64());
    auto& s = m_snapshots.emplace_back();
    // Negative: SnapshotMeta ids key evidence checks, and snapshot6 ids repeat snapshot ones.
    s.id = -id;
    s.node = node.name;
    s.valid_from = st.getColumn(1).getInt64();
    s.path = st.getColumn(2).getString();
    s.sha256 = st.getColumn(3).getString();
    s.ruleset_id = st.getColumn(4).getInt64();
    s.file = file_stat_columns(st, 5, 6, 8);
    s.doubt = st.getColumn(7).getString();
    m_by_id.emplace(id, &s);
    return &s;
}

SnapshotPtr Timeline6::in_force(const NodeRef& node, UnixSeconds t)
{
    if (!any())
        return nullptr;
    if (!m_in_force)
        m_in_force.emplace(m_db, sql::k_snapshot6_in_force);
    return read_one(*m_in_force, node, t);
}

SnapshotPtr Timeline6::after(const NodeRef& node, UnixSeconds t)
{
    if (!any())
        return nullptr;
    if (!m_after)
        m_after.emplace(m_db, sql::k_snapshot6_after);
    return read_one(*m_after, node, t);
}

const std::vector<Rule>& Timeline6::rules(std::int64_t ruleset6_id)
{
    if (auto it = m_rulesets.find(ruleset6_id); it != m_rulesets.end())
        return it->second;
    if (!m_rules)
        m_rules.emplace(m_db, sql::k_ruleset6_rules);
    auto& st = *m_rules;
    st.reset();
    st.bind(1, ruleset6_id);
    std::vector<Rule> out;
    while (st.executeStep())
        out.push_back(stored_rule6(st));
    st.reset();
    return m_rulesets.emplace(ruleset6_id, std::move(out)).first->second;
}

std::optional<std::pair<Ipv6, UnixSeconds>> Timeline6::node_address(const NodeRef& node, UnixSeconds t)
{
    if (!m_address)
        m_address.emplace(m_db, sql::k_node_address6_at);
    auto& st = *m_address;
    st.reset();
    st.bind(1, node.id);
    st.bind(2, static_cast<std::int64_t>(t));
    if (!st.executeStep())
        return std::nullopt;
    auto address = parse_ipv6(st.getColumn(0).getString());
    auto from = st.getColumn(1).getInt64();
    st.reset();
    if (!address)
        return std::nullopt;
    return std::pair{*address, from};
}

} // namespace natfw
