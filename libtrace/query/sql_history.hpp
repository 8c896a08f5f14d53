#pragma once
#include "query/history.hpp"
#include "store/lazy_statement.hpp"
#include "store/cell_blocks.hpp"
#include "store/rule_blocks.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <map>
#include <memory>
#include <optional>
#include <tuple>

namespace natfw {

/// The history read with B-tree seeks: O(log n) per call, nothing loaded up
/// front. Right for one lookup per process. One thread at a time.
class SqlHistory final : public History {
public:
    /// Prepares each statement once, on its first use; `db` must outlive it.
    explicit SqlHistory(SQLite::Database& db);

    const std::vector<NodeRef>& nodes() override;
    SnapshotPtr usable_at(const NodeRef& node, UnixSeconds t) override;
    SnapshotPtr usable_after(const NodeRef& node, UnixSeconds t) override;
    void unusable_between(const NodeRef& node, UnixSeconds after, UnixSeconds upto,
                          std::vector<UnusableRef>& out) override;
    std::optional<UnixSeconds> first_snapshot(const NodeRef& node) override;
    void hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out) override;
    bool maps_address(std::int64_t ruleset, int proto, Ipv4 ip) override;
    RuleDetail rule_detail(std::int64_t ruleset, int position) override;
    std::optional<std::pair<Ipv4, UnixSeconds>> node_address(const NodeRef& node, UnixSeconds t) override;
    void usable_snapshots(const NodeRef& node, std::vector<SnapshotPtr>& out) override;
    void dnat_rules(std::int64_t ruleset, std::vector<Rule>& out) override;
    void rules_for_source(std::int64_t ruleset, Ipv4 address, std::vector<Rule>& out) override;
    std::optional<Ipv4Set> reaching_source(std::int64_t ruleset, const Rule& rule, int proto) override;

private:
    /// The snapshot at the statement's next row (id, valid_from, path,
    /// sha256, ruleset_id, size, mtime_ns), or null at the end.
    SnapshotPtr snapshot_row(SQLite::Statement& st, const NodeRef& node);
    /// Throws IndexDamaged when a cell row and its rule disagree with each other or the query.
    void check_hit_row(const NatCell& cell, std::int64_t ruleset, Ipv4 ip, std::uint16_t port, const RuleHit& h,
                       const Rule& rule);
    /// Narrows a hit to the part of its source that reaches it (rule_reach).
    void apply_reach(std::int64_t ruleset, int proto, RuleHit& h);
    /// The pub_lo of the cells that may hold `ip`: the greatest at or below it.

    std::optional<std::vector<NodeRef>> m_nodes;
    std::map<std::int64_t, std::unique_ptr<SnapshotMeta>> m_snapshots; ///< owns what the seeks returned
    LazyStatement m_all_nodes, m_usable_at, m_usable_after, m_unusable_between, m_first_snapshot,
        m_rule_reach, m_node_address_at, m_usable_snapshots,
        m_rule_reach_gaps, m_rule_reach_takers;
    RuleBlocks m_rules;
    CellBlocks m_cells;
    std::vector<NatCell> m_cell_scratch; ///< the cells of one lookup, reused
    struct Exclusion {
        Ipv4Range reach;
        std::string excluded; ///< for people
        std::vector<std::int32_t> taken_by;
    };
    /// The rows of a partially reached rule, or nullopt when its whole source reaches it.
    std::optional<Ipv4Range> reach_hull(std::int64_t ruleset, int position, int proto);
    Ipv4Set reach_gaps(std::int64_t ruleset, int position, int proto);
    /// Partially reached rules seen so far, keyed (ruleset, position, proto);
    /// hits point into it. nullopt: the rule is reached by its whole source.
    std::map<std::tuple<std::int64_t, int, int>, std::optional<Exclusion>> m_exclusions;
};

} // namespace natfw
