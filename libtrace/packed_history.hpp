#pragma once
#include "history.hpp"
#include "ruleset_pack.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <memory>
#include <unordered_map>

namespace natfw {

/// The history held in memory for batches: every snapshot is read once up
/// front, each ruleset's pack on first use and kept. Memory is bounded by the
/// index (about 16 bytes per cell and 28 per source-NAT rule of each ruleset
/// used), never by the number of lookups.
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

private:
    struct Timeline {
        std::vector<SnapshotPtr> usable;     ///< by valid_from
        std::vector<UnusableRef> unusable;   ///< by valid_from
        std::optional<UnixSeconds> first;
    };
    const Timeline& timeline(const NodeRef& node) const;
    const RulesetPack& pack(std::int64_t ruleset);

    std::vector<NodeRef> m_nodes;
    std::unordered_map<std::int64_t, Timeline> m_timelines;
    std::unordered_map<std::int64_t, std::unique_ptr<RulesetPack>> m_packs;
    std::int64_t m_last_ruleset = -1;
    const RulesetPack* m_last_pack = nullptr;
    SQLite::Statement m_pack, m_rule_detail;
};

} // namespace natfw
