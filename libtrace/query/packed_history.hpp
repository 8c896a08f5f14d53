#pragma once
#include "query/history.hpp"
#include "query/sql_history.hpp"
#include "derive/ruleset_pack.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace natfw {

/// The history held in memory for batches: every snapshot is read once up
/// front, each ruleset's pack on first use and kept. Memory is bounded by the
/// index (about 8 bytes per cell, 28 per source-NAT rule and 16 KiB per large
/// address column of each ruleset used), never by the number of lookups.
/// Threads may share one: loading a pack is serialised, reading one is not.
class PackedHistory final : public History {
public:
    explicit PackedHistory(SQLite::Database& db);

    const std::vector<NodeRef>& nodes() override { return m_nodes; }
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
    struct Timeline {
        std::vector<const SnapshotMeta*> usable; ///< by valid_from
        std::vector<UnusableRef> unusable;   ///< by valid_from
        std::optional<UnixSeconds> first;
    };
    const Timeline& timeline(const NodeRef& node) const;
    const RulesetPack& pack(std::int64_t ruleset);

    std::vector<NodeRef> m_nodes;
    std::deque<SnapshotMeta> m_snapshots; ///< stable addresses for the timelines
    std::unordered_map<std::int64_t, Timeline> m_timelines;
    /// Per node id: (valid_from, address), oldest first.
    std::unordered_map<std::int64_t, std::vector<std::pair<UnixSeconds, Ipv4>>> m_node_addresses;
    /// By ruleset id (dense from 1): loaded on first use, then only read.
    std::vector<std::unique_ptr<RulesetPack>> m_pack_storage;
    std::unique_ptr<std::atomic<const RulesetPack*>[]> m_packs;
    std::size_t m_pack_slots = 0;
    std::mutex m_sql; ///< the two below, and loading
    SQLite::Statement m_pack;
    /// What batches need rarely (rule texts, inbound and forward lookups) is
    /// read row by row, as single lookups do.
    SqlHistory m_rows;
};

} // namespace natfw
