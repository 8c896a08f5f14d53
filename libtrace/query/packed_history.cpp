#include "query/packed_history.hpp"

#include "store/indexed_file.hpp"
#include "util/errors.hpp"
#include "store/database.hpp"
#include "store/statements.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace natfw {

PackedHistory::PackedHistory(SQLite::Database& db) : m_pack(db, sql::k_ruleset_pack), m_rows(db)
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
    m_pack_slots = static_cast<std::size_t>(db.execAndGet(sql::k_max_ruleset).getInt64()) + 1;
    m_packs = std::make_unique<std::atomic<const RulesetPack*>[]>(m_pack_slots);
    m_pack_storage.resize(m_pack_slots);
}

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

const RulesetPack& PackedHistory::pack(std::int64_t ruleset)
{
    auto slot = static_cast<std::size_t>(ruleset);
    if (ruleset < 0 || slot >= m_pack_slots)
        throw IndexUnavailable(fmt::format("ruleset {} is not in the index; run natfw-index", ruleset));
    if (const RulesetPack* p = m_packs[slot].load(std::memory_order_acquire))
        return *p;
    std::lock_guard lock(m_sql);
    if (const RulesetPack* p = m_packs[slot].load(std::memory_order_acquire))
        return *p; // another thread loaded it meanwhile
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
    if (!decoded)
        throw IndexDamaged(fmt::format("the packed cells of ruleset {} fail their checksum", ruleset));
    m_pack_storage[slot] = std::make_unique<RulesetPack>(std::move(*decoded));
    index_buckets(*m_pack_storage[slot]);
    m_packs[slot].store(m_pack_storage[slot].get(), std::memory_order_release);
    return *m_pack_storage[slot];
}

void PackedHistory::hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out)
{
    pack_hits(pack(ruleset), proto, ip, port, out);
}

bool PackedHistory::maps_address(std::int64_t ruleset, int proto, Ipv4 ip)
{
    return pack_maps_address(pack(ruleset), proto, ip);
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
