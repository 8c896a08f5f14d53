#pragma once
// The write side of each node's IPv6 timeline (schema/009_ipv6_timeline.sql):
// the files that say how the node NATs IPv6, their rules, and the node's own
// IPv6 address. natfw-index writes it beside the IPv4 timeline
// (store/index_store.hpp); lookups read it through query/timeline6.hpp.
#include "parse/ruleset.hpp"
#include "store/index_store.hpp"
#include "util/ipv6.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <vector>

namespace natfw {

class Timeline6Store {
public:
    explicit Timeline6Store(SQLite::Database& db);
    std::vector<IndexedSnapshot> snapshots(std::int64_t node_id);
    /// Stores the rules unless an identical ruleset is stored already; its id either way.
    std::int64_t store_ruleset(const std::vector<Rule>& rules);
    /// `s.ruleset_id` is a ruleset6 id here.
    std::int64_t insert_snapshot(const NewSnapshot& s);
    void update_stat(std::int64_t snapshot_id, const FileStat& stat);
    void add_diagnostic(std::int64_t snapshot_id, const Diagnostic& d);
    /// As IndexStore::record_node_address: the same record again is a no-op,
    /// another address for the same time an Error.
    void record_node_address(std::int64_t node_id, UnixSeconds from, Ipv6 address);

private:
    SQLite::Database& m_db;
    SQLite::Statement m_node_snapshots, m_find_ruleset, m_insert_ruleset, m_insert_rule, m_insert_snapshot,
        m_update_stat, m_insert_diagnostic;
};

/// Reads the current row of sql::k_ruleset6_rules.
Rule stored_rule6(SQLite::Statement& st);

/// The IPv6 record of an nft snapshot without ip6 or inet tables: kept so
/// that re-index runs need not read the file again, never listed.
inline constexpr std::string_view k_not_in_ipv6_timeline = "no ip6 or inet table: not part of the IPv6 timeline";

} // namespace natfw
