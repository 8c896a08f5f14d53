#pragma once
#include "query/history.hpp"
#include "query/sql_history.hpp"
#include "derive/ruleset_pack.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace natfw {

/// The history held in memory for batches: every snapshot is read once up
/// front, each ruleset's pack on first use. Packs not used for a while are
/// let go once the loaded ones pass a budget (k_pack_budget): a batch in time
/// order uses a few rulesets at a time, while keeping every pack it met grew
/// with the history (324 MiB at 300 rulesets of 16,382 clients). When packs
/// let go are wanted again often, the rows jump about in time; the budget
/// then doubles rather than reload packs row after row, so such a batch keeps
/// what it uses, as before (about 8 bytes per cell, 28 per source-NAT rule
/// and 16 KiB per large address column of each ruleset).
/// Threads share one through for_worker() views, each holding the packs its
/// thread is using (rule hits point into them: they stay valid until that
/// view reads another ruleset); the history's own lookup calls go through a
/// view of its own, for one thread at a time. Loading, letting go and handing
/// out packs is serialised.
class PackedHistory final : public History {
public:
    static constexpr std::size_t k_pack_budget = std::size_t{48} << 20;

    explicit PackedHistory(SQLite::Database& db, std::size_t pack_budget = k_pack_budget);

    std::unique_ptr<History> for_worker() override;
    /// The pack of `ruleset`, loaded if it is not; it stays valid while held.
    std::shared_ptr<const RulesetPack> acquire(std::int64_t ruleset);
    /// Ruleset ids are below this.
    std::size_t pack_slots() const { return m_pack_slots.size(); }
    /// How many packs of the loaded ones' average size the budget holds now.
    std::size_t packs_within_budget() const;
    /// What the loaded packs hold now, and the most they held at once (bytes).
    std::size_t pack_bytes_loaded() const;
    std::size_t pack_bytes_peak() const;

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
    /// Counts a pack just loaded or taken back, then trims the others.
    void count_in(std::size_t slot);
    /// Lets go of the least recently used packs, `keep` aside, while over the budget.
    void trim(std::size_t keep);

    std::vector<NodeRef> m_nodes;
    std::deque<SnapshotMeta> m_snapshots; ///< stable addresses for the timelines
    std::unordered_map<std::int64_t, Timeline> m_timelines;
    /// Per node id: (valid_from, address), oldest first.
    std::unordered_map<std::int64_t, std::vector<std::pair<UnixSeconds, Ipv4>>> m_node_addresses;
    /// By ruleset id (dense from 1), all under m_sql.
    struct PackSlot {
        std::shared_ptr<const RulesetPack> pack; ///< null: not loaded, or let go
        /// A pack let go that a view may still hold: taken back instead of decoded twice.
        std::weak_ptr<const RulesetPack> let_go;
        std::size_t bytes = 0;
        std::uint64_t last_used = 0;
        bool loaded_before = false;
    };
    std::vector<PackSlot> m_pack_slots;
    /// A pack let go is wanted again: grows the budget when that happens
    /// often (the rows jump about in time).
    void note_reload();
    std::size_t packs_within_budget_locked() const;
    std::uint64_t m_uses = 0;
    std::size_t m_loads = 0; ///< packs loaded or taken back so far
    /// Loads of packs let go before, counted since m_window_start (a load count).
    std::size_t m_reloads = 0, m_window_start = 0;
    static constexpr std::size_t k_reloads_to_grow = 8;
    std::size_t m_pack_budget, m_loaded_bytes = 0, m_peak_bytes = 0;
    mutable std::mutex m_sql; ///< the pack slots, the two statements below
    SQLite::Statement m_pack;
    /// What batches need rarely (rule texts, inbound and forward lookups) is
    /// read row by row, as single lookups do.
    SqlHistory m_rows;
    std::unique_ptr<History> m_own_view; ///< for this history's own hits() and maps_address()
};

} // namespace natfw
