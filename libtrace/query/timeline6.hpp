#pragma once
// The read side of each node's IPv6 timeline (store/timeline6_store.hpp):
// which snapshot was in force, its rules, the node's own IPv6 address.
#include "parse/ruleset.hpp"
#include "query/history.hpp"
#include "util/ipv6.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace natfw {

/// One per thread: it caches what it has read.
class Timeline6 {
public:
    explicit Timeline6(SQLite::Database& db);
    /// Whether any node has an IPv6 timeline.
    bool any();
    /// The newest usable snapshot of `node` at or before `t` (its ruleset_id
    /// a ruleset6 id); null when none.
    SnapshotPtr in_force(const NodeRef& node, UnixSeconds t);
    /// The oldest usable snapshot of `node` after `t`; null when none.
    SnapshotPtr after(const NodeRef& node, UnixSeconds t);
    /// Unusable snapshots of `node` dated in (after, upto], oldest first.
    void unusable_between(const NodeRef& node, UnixSeconds after, UnixSeconds upto, std::vector<UnusableRef>& out);
    /// Every usable snapshot of `node`, oldest first.
    void usable_snapshots(const NodeRef& node, std::vector<SnapshotPtr>& out);
    /// The ruleset's rules in order, read once.
    const std::vector<Rule>& rules(std::int64_t ruleset6_id);
    std::optional<std::pair<Ipv6, UnixSeconds>> node_address(const NodeRef& node, UnixSeconds t);

private:
    SnapshotPtr read_one(SQLite::Statement& st, const NodeRef& node, UnixSeconds t);
    /// The snapshot of the statement's current row, cached by id.
    SnapshotPtr row(SQLite::Statement& st, const NodeRef& node);

    SQLite::Database& m_db;
    std::optional<bool> m_any;
    std::optional<SQLite::Statement> m_in_force, m_after, m_unusable, m_rules, m_address;
    std::deque<SnapshotMeta> m_snapshots; ///< stable addresses for SnapshotPtr
    std::map<std::int64_t, const SnapshotMeta*> m_by_id;
    std::map<std::int64_t, std::vector<Rule>> m_rulesets;
};

} // namespace natfw
