#include "query/packed_history.hpp"

#include "store/snapshot_row_check.hpp"
#include "store/sql_values.hpp"
#include "store/indexed_file.hpp"
#include "util/errors.hpp"
#include "store/database.hpp"
#include "store/statements.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace natfw {

namespace {

/// A batch thread's view: forwards to the shared history, but keeps the few
/// packs its rows use in hand, so that a row reaches them without a lock or
/// a reference count.
class PackView final : public History {
public:
    explicit PackView(PackedHistory& shared) : m_shared(shared) {}

    const std::vector<NodeRef>& nodes() override { return m_shared.nodes(); }
    SnapshotPtr usable_at(const NodeRef& node, UnixSeconds t) override { return m_shared.usable_at(node, t); }
    SnapshotPtr usable_after(const NodeRef& node, UnixSeconds t) override { return m_shared.usable_after(node, t); }
    void unusable_between(const NodeRef& node, UnixSeconds after, UnixSeconds upto,
                          std::vector<UnusableRef>& out) override
    {
        m_shared.unusable_between(node, after, upto, out);
    }
    std::optional<UnixSeconds> first_snapshot(const NodeRef& node) override { return m_shared.first_snapshot(node); }
    void hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out) override
    {
        pack_hits(pack(ruleset), proto, ip, port, out);
    }
    bool maps_address(std::int64_t ruleset, int proto, Ipv4 ip) override
    {
        return pack_maps_address(pack(ruleset), proto, ip);
    }
    RuleDetail rule_detail(std::int64_t ruleset, int position) override
    {
        return m_shared.rule_detail(ruleset, position);
    }
    std::optional<std::pair<Ipv4, UnixSeconds>> node_address(const NodeRef& node, UnixSeconds t) override
    {
        return m_shared.node_address(node, t);
    }
    void usable_snapshots(const NodeRef& node, std::vector<SnapshotPtr>& out) override
    {
        m_shared.usable_snapshots(node, out);
    }
    void dnat_rules(std::int64_t ruleset, std::vector<Rule>& out) override { m_shared.dnat_rules(ruleset, out); }
    void rules_for_source(std::int64_t ruleset, Ipv4 address, std::vector<Rule>& out) override
    {
        m_shared.rules_for_source(ruleset, address, out);
    }
    std::optional<Ipv4Set> reaching_source(std::int64_t ruleset, const Rule& rule, int proto) override
    {
        return m_shared.reaching_source(ruleset, rule, proto);
    }

private:
    /// A row reads the ruleset in force and, near a change, its neighbours.
    static constexpr std::size_t k_least_in_hand = 4;

    const RulesetPack& pack(std::int64_t ruleset)
    {
        auto id = static_cast<std::size_t>(ruleset);
        if (ruleset >= 0 && id < m_held.size() && m_held[id]) {
            m_last_used[id] = ++m_uses;
            return *m_held[id];
        }
        auto p = m_shared.acquire(ruleset); // throws for a ruleset not in the index
        if (m_held.empty()) {
            m_held.resize(m_shared.pack_slots());
            m_last_used.resize(m_held.size());
        }
        // As many as the shared budget holds: when it grows for rows out of
        // time order, each thread reads its packs without a lock again.
        const std::size_t room = std::max(k_least_in_hand, m_shared.packs_within_budget());
        while (m_in_hand.size() >= room) {
            auto oldest = std::min_element(m_in_hand.begin(), m_in_hand.end(), [&](std::size_t a, std::size_t b) {
                return m_last_used[a] < m_last_used[b];
            });
            m_held[*oldest].reset();
            *oldest = m_in_hand.back();
            m_in_hand.pop_back();
        }
        m_held[id] = std::move(p);
        m_in_hand.push_back(id);
        m_last_used[id] = ++m_uses;
        return *m_held[id];
    }

    PackedHistory& m_shared;
    std::vector<std::shared_ptr<const RulesetPack>> m_held; ///< by ruleset id
    std::vector<std::uint64_t> m_last_used;                  ///< by ruleset id
    std::vector<std::size_t> m_in_hand;                       ///< the ids held
    std::uint64_t m_uses = 0;
};

} // namespace

PackedHistory::PackedHistory(SQLite::Database& db, std::size_t pack_budget)
    : m_pack_budget(pack_budget), m_pack(db, sql::k_ruleset_pack), m_rows(db)
{
    SQLite::Statement nodes(db, sql::k_all_nodes);
    std::unordered_map<std::int64_t, std::string> names;
    while (nodes.executeStep()) {
        m_nodes.push_back({nodes.getColumn(0).getInt64(), nodes.getColumn(1).getString()});
        names[m_nodes.back().id] = m_nodes.back().name;
    }
    SQLite::Statement snaps(db, sql::k_all_snapshots);
    while (snaps.executeStep()) {
        std::int64_t node = snaps.getColumn(1).getInt64();
        UnixSeconds from = snaps.getColumn(2).getInt64();
        require_snapshot_row(snaps.getColumn(14).getString(), snaps.getColumn(0).getInt64(), node, from,
                             snaps.getColumn(3).getString(), snaps.getColumn(4).getString(), optional_int64(snaps, 5));
        Timeline& tl = m_timelines[node];
        if (!tl.first)
            tl.first = from;
        if (snaps.getColumn(5).isNull())
            tl.unusable.push_back({snaps.getColumn(3).getString(), from, snaps.getColumn(6).getInt(),
                                   snaps.getColumn(7).getString()});
        else
            tl.usable.push_back(&m_snapshots.emplace_back(
                SnapshotMeta{snaps.getColumn(0).getInt64(), names[node], from, snaps.getColumn(3).getString(),
                             snaps.getColumn(4).getString(), snaps.getColumn(5).getInt64(),
                             file_stat_columns(snaps, 8, 9, 11), snaps.getColumn(10).getString()}));
    }
    SQLite::Statement addresses(db, sql::k_all_node_addresses);
    while (addresses.executeStep())
        m_node_addresses[addresses.getColumn(0).getInt64()].emplace_back(addresses.getColumn(1).getInt64(),
                                                                         static_cast<Ipv4>(addresses.getColumn(2).getInt64()));
    m_pack_slots.resize(static_cast<std::size_t>(db.execAndGet(sql::k_max_ruleset).getInt64()) + 1);
}

std::unique_ptr<History> PackedHistory::for_worker() { return std::make_unique<PackView>(*this); }

const PackedHistory::Timeline& PackedHistory::timeline(const NodeRef& node) const
{
    static const Timeline empty;
    auto it = m_timelines.find(node.id);
    return it == m_timelines.end() ? empty : it->second;
}

SnapshotPtr PackedHistory::usable_at(const NodeRef& node, UnixSeconds t)
{
    const auto& v = timeline(node).usable;
    auto it = std::upper_bound(v.begin(), v.end(), t, [](UnixSeconds x, const SnapshotMeta* s) { return x < s->valid_from; });
    return it == v.begin() ? nullptr : *std::prev(it);
}

SnapshotPtr PackedHistory::usable_after(const NodeRef& node, UnixSeconds t)
{
    const auto& v = timeline(node).usable;
    auto it = std::upper_bound(v.begin(), v.end(), t, [](UnixSeconds x, const SnapshotMeta* s) { return x < s->valid_from; });
    return it == v.end() ? nullptr : *it;
}

void PackedHistory::unusable_between(const NodeRef& node, UnixSeconds after, UnixSeconds upto,
                                     std::vector<UnusableRef>& out)
{
    const auto& v = timeline(node).unusable;
    auto it = std::upper_bound(v.begin(), v.end(), after, [](UnixSeconds x, const UnusableRef& u) { return x < u.valid_from; });
    for (; it != v.end() && it->valid_from <= upto; ++it)
        out.push_back(*it);
}

std::optional<UnixSeconds> PackedHistory::first_snapshot(const NodeRef& node)
{
    return timeline(node).first;
}

std::shared_ptr<const RulesetPack> PackedHistory::acquire(std::int64_t ruleset)
{
    auto slot_of = static_cast<std::size_t>(ruleset);
    if (ruleset < 0 || slot_of >= m_pack_slots.size())
        throw IndexUnavailable(fmt::format("ruleset {} is not in the index; run natfw-index", ruleset));
    std::lock_guard lock(m_sql);
    auto& slot = m_pack_slots[slot_of];
    slot.last_used = ++m_uses;
    if (slot.pack)
        return slot.pack;
    if (slot.loaded_before)
        note_reload();
    ++m_loads;
    slot.loaded_before = true;
    if (auto held = slot.let_go.lock()) {
        slot.pack = std::move(held);
        count_in(slot_of);
        return slot.pack;
    }
    m_pack.reset();
    m_pack.bind(1, ruleset);
    if (!m_pack.executeStep())
        throw IndexUnavailable(fmt::format("the index lacks the packed cells of ruleset {}; run natfw-index", ruleset));
    auto blob = m_pack.getColumn(1);
    if (m_pack.getColumn(0).getInt() != k_pack_format)
        throw IndexUnavailable(fmt::format("the packed cells of ruleset {} are of format {}, this build reads {}; run "
                                           "natfw-index",
                                           ruleset, m_pack.getColumn(0).getInt(), k_pack_format));
    auto decoded =
        decode_pack({static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes())});
    m_pack.reset();
    if (!decoded)
        throw IndexDamaged(fmt::format("the packed cells of ruleset {} fail their checksum", ruleset));
    index_buckets(*decoded);
    slot.bytes = pack_bytes(*decoded);
    slot.pack = std::make_shared<const RulesetPack>(std::move(*decoded));
    count_in(slot_of);
    return slot.pack;
}

void PackedHistory::count_in(std::size_t slot)
{
    m_loaded_bytes += m_pack_slots[slot].bytes;
    trim(slot);
    m_peak_bytes = std::max(m_peak_bytes, m_loaded_bytes);
}

void PackedHistory::note_reload()
{
    // A batch in time order wants a pack again only where the history went
    // back to an earlier ruleset (a rollback): a few times in a history. Rows
    // in random time order want them again all the time.
    if (m_loads - m_window_start > std::max(4 * k_reloads_to_grow, 4 * packs_within_budget_locked())) {
        m_window_start = m_loads;
        m_reloads = 0;
    }
    if (++m_reloads >= k_reloads_to_grow) {
        m_pack_budget = std::max(2 * m_pack_budget, 2 * m_loaded_bytes);
        m_window_start = m_loads;
        m_reloads = 0;
    }
}

void PackedHistory::trim(std::size_t keep)
{
    while (m_loaded_bytes > m_pack_budget) {
        PackSlot* oldest = nullptr;
        for (std::size_t i = 0; i < m_pack_slots.size(); ++i)
            if (i != keep && m_pack_slots[i].pack && (!oldest || m_pack_slots[i].last_used < oldest->last_used))
                oldest = &m_pack_slots[i];
        if (!oldest)
            return;
        oldest->let_go = oldest->pack;
        oldest->pack.reset(); // freed when the last view holding it lets go
        m_loaded_bytes -= oldest->bytes;
    }
}

std::size_t PackedHistory::packs_within_budget() const
{
    std::lock_guard lock(m_sql);
    return packs_within_budget_locked();
}

std::size_t PackedHistory::packs_within_budget_locked() const
{
    const auto loaded = static_cast<std::size_t>(
        std::count_if(m_pack_slots.begin(), m_pack_slots.end(), [](const PackSlot& s) { return s.pack != nullptr; }));
    return loaded == 0 ? 0 : m_pack_budget / std::max<std::size_t>(1, m_loaded_bytes / loaded);
}

std::size_t PackedHistory::pack_bytes_loaded() const
{
    std::lock_guard lock(m_sql);
    return m_loaded_bytes;
}

std::size_t PackedHistory::pack_bytes_peak() const
{
    std::lock_guard lock(m_sql);
    return m_peak_bytes;
}

void PackedHistory::hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out)
{
    if (!m_own_view)
        m_own_view = for_worker();
    m_own_view->hits(ruleset, proto, ip, port, out);
}

bool PackedHistory::maps_address(std::int64_t ruleset, int proto, Ipv4 ip)
{
    if (!m_own_view)
        m_own_view = for_worker();
    return m_own_view->maps_address(ruleset, proto, ip);
}

RuleDetail PackedHistory::rule_detail(std::int64_t ruleset, int position)
{
    std::lock_guard lock(m_sql);
    return m_rows.rule_detail(ruleset, position);
}

std::optional<std::pair<Ipv4, UnixSeconds>> PackedHistory::node_address(const NodeRef& node, UnixSeconds t)
{
    auto it = m_node_addresses.find(node.id);
    if (it == m_node_addresses.end())
        return std::nullopt;
    const auto& v = it->second;
    auto after = std::upper_bound(v.begin(), v.end(), t, [](UnixSeconds x, const auto& e) { return x < e.first; });
    if (after == v.begin())
        return std::nullopt;
    --after;
    return std::pair{after->second, after->first};
}

void PackedHistory::usable_snapshots(const NodeRef& node, std::vector<SnapshotPtr>& out)
{
    const auto& v = timeline(node).usable;
    out.insert(out.end(), v.begin(), v.end());
}

void PackedHistory::dnat_rules(std::int64_t ruleset, std::vector<Rule>& out)
{
    std::lock_guard lock(m_sql);
    m_rows.dnat_rules(ruleset, out);
}

void PackedHistory::rules_for_source(std::int64_t ruleset, Ipv4 address, std::vector<Rule>& out)
{
    std::lock_guard lock(m_sql);
    m_rows.rules_for_source(ruleset, address, out);
}

std::optional<Ipv4Set> PackedHistory::reaching_source(std::int64_t ruleset, const Rule& rule, int proto)
{
    std::lock_guard lock(m_sql);
    return m_rows.reaching_source(ruleset, rule, proto);
}

} // namespace natfw
