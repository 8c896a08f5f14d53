#include "query/sql_history.hpp"

#include "store/indexed_file.hpp"
#include "derive/first_match.hpp"
#include "derive/nat_cells.hpp"
#include "store/database.hpp"
#include "store/snapshot_row_check.hpp"
#include "store/statements.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace natfw {

namespace {

/// Readies a statement keyed by one rule of a ruleset for one protocol.
void bind_rule(SQLite::Statement& st, std::int64_t ruleset, int position, int proto)
{
    st.reset();
    st.bind(1, ruleset);
    st.bind(2, position);
    st.bind(3, proto);
}

} // namespace


SqlHistory::SqlHistory(SQLite::Database& db)
    : m_all_nodes(db, sql::k_all_nodes), m_usable_at(db, sql::k_usable_at), m_usable_after(db, sql::k_usable_after),
      m_unusable_between(db, sql::k_unusable_between), m_first_snapshot(db, sql::k_first_snapshot),
      m_rule_reach(db, sql::k_rule_reach),
      m_node_address_at(db, sql::k_node_address_at), m_usable_snapshots(db, sql::k_node_usable_snapshots),
      m_rule_reach_gaps(db, sql::k_rule_reach_gaps),
      m_rule_reach_takers(db, sql::k_rule_reach_takers), m_rules(db), m_cells(db)
{
}

const std::vector<NodeRef>& SqlHistory::nodes()
{
    if (!m_nodes) {
        m_nodes.emplace();
        m_all_nodes->reset();
        while (m_all_nodes->executeStep())
            m_nodes->push_back({m_all_nodes->getColumn(0).getInt64(), m_all_nodes->getColumn(1).getString()});
    }
    return *m_nodes;
}

SnapshotPtr SqlHistory::snapshot_row(SQLite::Statement& st, const NodeRef& node)
{
    if (!st.executeStep())
        return nullptr;
    require_snapshot_row(st.getColumn(11).getString(), st.getColumn(0).getInt64(), node.id,
                         st.getColumn(1).getInt64(), st.getColumn(2).getString(), st.getColumn(3).getString(),
                         st.getColumn(4).getInt64());
    auto& slot = m_snapshots[st.getColumn(0).getInt64()];
    if (!slot)
        slot = std::make_unique<SnapshotMeta>(SnapshotMeta{st.getColumn(0).getInt64(), node.name,
                                                           st.getColumn(1).getInt64(), st.getColumn(2).getString(),
                                                           st.getColumn(3).getString(), st.getColumn(4).getInt64(),
                                                           file_stat_columns(st, 5, 6, 8), st.getColumn(7).getString()});
    return slot.get();
}

SnapshotPtr SqlHistory::usable_at(const NodeRef& node, UnixSeconds t)
{
    m_usable_at->reset();
    m_usable_at->bind(1, node.id);
    m_usable_at->bind(2, static_cast<std::int64_t>(t));
    return snapshot_row(*m_usable_at, node);
}

SnapshotPtr SqlHistory::usable_after(const NodeRef& node, UnixSeconds t)
{
    m_usable_after->reset();
    m_usable_after->bind(1, node.id);
    m_usable_after->bind(2, static_cast<std::int64_t>(t));
    return snapshot_row(*m_usable_after, node);
}

void SqlHistory::unusable_between(const NodeRef& node, UnixSeconds after, UnixSeconds upto,
                                  std::vector<UnusableRef>& out)
{
    auto& st = *m_unusable_between;
    st.reset();
    st.bind(1, node.id);
    st.bind(2, static_cast<std::int64_t>(after));
    st.bind(3, static_cast<std::int64_t>(upto));
    while (st.executeStep()) {
        require_snapshot_row(st.getColumn(6).getString(), st.getColumn(4).getInt64(), node.id,
                             st.getColumn(3).getInt64(), st.getColumn(0).getString(), st.getColumn(5).getString(),
                             std::nullopt);
        out.push_back({st.getColumn(0).getString(), st.getColumn(3).getInt64(), st.getColumn(1).getInt(),
                       st.getColumn(2).getString()});
    }
}

std::optional<UnixSeconds> SqlHistory::first_snapshot(const NodeRef& node)
{
    m_first_snapshot->reset();
    m_first_snapshot->bind(1, node.id);
    if (!m_first_snapshot->executeStep() || m_first_snapshot->getColumn(0).isNull())
        return std::nullopt;
    return m_first_snapshot->getColumn(0).getInt64();
}

void SqlHistory::hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out)
{
    auto pub_lo = m_cells.column(ruleset, proto, ip);
    if (!pub_lo)
        return;
    m_cell_scratch.clear();
    m_cells.cells_at(ruleset, proto, *pub_lo, port, m_cell_scratch);
    const std::size_t first = out.size();
    for (const NatCell& cell : m_cell_scratch) {
        if (cell.pub_hi < ip || cell.port_hi < port)
            continue; // the cell below ends before the address or port
        RuleHit h;
        h.position = cell.position;
        h.masquerade = cell.masquerade;
        h.never = cell.never;
        const Rule& rule = m_rules.at(ruleset, h.position);
        h.line = rule.line;
        h.source = rule.source;
        h.ports = rule.to_ports;
        check_hit_row(cell, ruleset, ip, port, h, rule);
        out.push_back(h);
    }
    for (std::size_t i = first; i < out.size(); ++i)
        apply_reach(ruleset, proto, out[i]);
}

void SqlHistory::check_hit_row(const NatCell& cell, std::int64_t ruleset, Ipv4 ip, std::uint16_t port,
                               const RuleHit& h, const Rule& rule)
{
    // The cell and its rule must agree with each other and with the query:
    // a flipped byte in either would otherwise become another answer.
    auto in = [](std::int64_t lo, std::int64_t v, std::int64_t hi) { return lo <= v && v <= hi; };
    const bool cell_ok = in(0, cell.pub_lo, ip) && in(0, cell.port_lo, port);
    const bool rule_ok = h.line > 0 && h.position >= 0 && h.source.range.lo <= h.source.range.hi &&
                         (!h.ports || (h.ports->lo >= 1 && in(h.ports->lo, port, h.ports->hi))) &&
                         (h.masquerade ||
                          (rule.to_addresses && in(rule.to_addresses->lo, ip, rule.to_addresses->hi)));
    if (!cell_ok || !rule_ok)
        throw IndexDamaged(fmt::format("ruleset {} rule {} does not cover the cell that names it", ruleset,
                                       h.position));
}

void SqlHistory::apply_reach(std::int64_t ruleset, int proto, RuleHit& h)
{
    auto [it, inserted] = m_exclusions.try_emplace({ruleset, h.position, proto});
    if (inserted) {
        if (auto hull = reach_hull(ruleset, h.position, proto)) {
            Exclusion x{*hull, reach_gaps(ruleset, h.position, proto).describe(), {}};
            auto& st = *m_rule_reach_takers;
            bind_rule(st, ruleset, h.position, proto);
            while (st.executeStep())
                x.taken_by.push_back(st.getColumn(0).getInt());
            it->second = std::move(x);
        }
    }
    if (!it->second)
        return;
    h.source = SourceMatch{it->second->reach, false};
    h.excluded = it->second->excluded;
    h.taken_by = it->second->taken_by;
}

bool SqlHistory::maps_address(std::int64_t ruleset, int proto, Ipv4 ip)
{
    auto pub_lo = m_cells.column(ruleset, proto, ip);
    return pub_lo && m_cells.has_snat(ruleset, proto, *pub_lo, ip);
}

RuleDetail SqlHistory::rule_detail(std::int64_t ruleset, int position)
{
    const Rule& rule = m_rules.at(ruleset, position);
    return {rule.text, rule.conditions};
}

std::optional<std::pair<Ipv4, UnixSeconds>> SqlHistory::node_address(const NodeRef& node, UnixSeconds t)
{
    m_node_address_at->reset();
    m_node_address_at->bind(1, node.id);
    m_node_address_at->bind(2, static_cast<std::int64_t>(t));
    if (!m_node_address_at->executeStep())
        return std::nullopt;
    return std::pair{static_cast<Ipv4>(m_node_address_at->getColumn(0).getInt64()),
                     static_cast<UnixSeconds>(m_node_address_at->getColumn(1).getInt64())};
}

void SqlHistory::usable_snapshots(const NodeRef& node, std::vector<SnapshotPtr>& out)
{
    m_usable_snapshots->reset();
    m_usable_snapshots->bind(1, node.id);
    while (SnapshotPtr s = snapshot_row(*m_usable_snapshots, node))
        out.push_back(s);
}

void SqlHistory::dnat_rules(std::int64_t ruleset, std::vector<Rule>& out)
{
    m_rules.inbound(ruleset, out);
}

void SqlHistory::rules_for_source(std::int64_t ruleset, Ipv4 address, std::vector<Rule>& out)
{
    m_rules.holding_source(ruleset, address, out);
}

std::optional<Ipv4Set> SqlHistory::reaching_source(std::int64_t ruleset, const Rule& rule, int proto)
{
    // A rule that some source reaches has a cell at its own first public address and port.
    Ipv4Range pub = rule.target == "MASQUERADE" || !rule.to_addresses ? Ipv4Range{0, 0xFFFFFFFFu} : *rule.to_addresses;
    PortRange ports = rule.to_ports.value_or(PortRange{1, 65535});
    m_cell_scratch.clear();
    m_cells.cells_at(ruleset, proto, pub.lo, ports.lo, m_cell_scratch);
    auto own = std::find_if(m_cell_scratch.begin(), m_cell_scratch.end(), [&](const NatCell& c) {
        return c.port_lo == ports.lo && c.position == rule.position;
    });
    if (own == m_cell_scratch.end() || own->never)
        return std::nullopt;
    auto hull = reach_hull(ruleset, rule.position, proto);
    if (!hull)
        return source_set(rule.source); // reached by its whole source
    return Ipv4Set(*hull).minus(reach_gaps(ruleset, rule.position, proto));
}

std::optional<Ipv4Range> SqlHistory::reach_hull(std::int64_t ruleset, int position, int proto)
{
    bind_rule(*m_rule_reach, ruleset, position, proto);
    if (!m_rule_reach->executeStep())
        return std::nullopt;
    return Ipv4Range{static_cast<Ipv4>(m_rule_reach->getColumn(0).getInt64()),
                     static_cast<Ipv4>(m_rule_reach->getColumn(1).getInt64())};
}

Ipv4Set SqlHistory::reach_gaps(std::int64_t ruleset, int position, int proto)
{
    Ipv4Set gaps;
    auto& st = *m_rule_reach_gaps;
    bind_rule(st, ruleset, position, proto);
    while (st.executeStep())
        gaps.add(Ipv4Range{static_cast<Ipv4>(st.getColumn(0).getInt64()), static_cast<Ipv4>(st.getColumn(1).getInt64())});
    return gaps;
}

} // namespace natfw
