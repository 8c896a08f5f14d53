#include "query/forward_lookup.hpp"

#include "derive/first_match6.hpp"
#include "query/lookup_front.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <tuple>

namespace natfw {

namespace {

struct Mapping {
    std::optional<std::string> public_addresses;
    std::string proto;
    std::optional<PortRange> ports;
    std::string source;
    bool shared = false;
    int line = 0;
    std::string rule;
    bool same_as(const Mapping& o) const
    {
        return public_addresses == o.public_addresses && proto == o.proto && ports == o.ports && source == o.source;
    }
};

/// What source-NAT rule `r` gives its `source` for `proto`; `to` is its target
/// address as text, ignored for MASQUERADE (the interface's address).
Mapping mapping_of(const Rule& r, int proto, std::optional<std::string> to, std::string source, bool shared)
{
    Mapping m;
    if (r.target != "MASQUERADE")
        m.public_addresses = std::move(to);
    m.proto = proto == k_proto_tcp ? "tcp" : "udp";
    m.ports = r.to_ports;
    m.source = std::move(source);
    m.shared = shared;
    m.line = r.line;
    m.rule = r.text;
    return m;
}

/// What a ruleset gives `address`, per protocol, in rule order.
std::vector<Mapping> mappings(History& history, std::int64_t ruleset, Ipv4 address, std::vector<Rule>& rules)
{
    rules.clear();
    history.rules_for_source(ruleset, address, rules);
    std::vector<Mapping> out;
    for (const Rule& r : rules) {
        if (!is_source_nat(r))
            continue;
        for (int proto : {k_proto_tcp, k_proto_udp}) {
            if (!applies_to_protocol(r, proto))
                continue;
            auto source = history.reaching_source(ruleset, r, proto);
            if (!source || !source->intersects(Ipv4Set({address, address})))
                continue;
            auto to = r.to_addresses ? std::optional(format_ipv4_range(*r.to_addresses)) : std::nullopt;
            out.push_back(mapping_of(r, proto, std::move(to), source->describe(), source->size() > 1));
        }
    }
    return out;
}

/// What an IPv6 ruleset gives `address`, per protocol, in rule order.
std::vector<Mapping> mappings6(const std::vector<Rule>& rules, const ReachMap6& reach, Ipv6 address)
{
    std::vector<Mapping> out;
    for (const Rule& r : rules) {
        if (!is_source_nat(r))
            continue;
        for (int proto : {k_proto_tcp, k_proto_udp}) {
            auto it = reach.find({r.position, proto});
            if (it == reach.end())
                continue;
            const auto& ranges = it->second.reach;
            if (std::none_of(ranges.begin(), ranges.end(), [&](Ipv6Range x) { return x.contains(address); }))
                continue;
            auto to = r.to_addresses6 ? std::optional(format_ipv6_range(*r.to_addresses6)) : std::nullopt;
            bool shared = ranges.size() > 1 || !ranges.front().single();
            out.push_back(mapping_of(r, proto, std::move(to), describe_ranges(ranges), shared));
        }
    }
    return out;
}

using MappingsOf = std::function<std::vector<Mapping>(const SnapshotMeta&)>;

/// Cuts one node's snapshots into periods of the same mapping.
void node_periods(const std::string& name, const std::vector<SnapshotPtr>& snapshots, const ForwardQuery& q,
                  const MappingsOf& mappings_of, std::vector<AddressPeriod>& out)
{
    // Open periods of this node, by mapping; closed when a snapshot no longer has it.
    std::vector<std::pair<Mapping, AddressPeriod>> open;
    auto close_all_except = [&](const std::vector<Mapping>& keep, UnixSeconds at) {
        for (auto it = open.begin(); it != open.end();) {
            bool kept = std::any_of(keep.begin(), keep.end(), [&](const Mapping& m) { return m.same_as(it->first); });
            if (kept) {
                ++it;
                continue;
            }
            it->second.valid_to = at;
            out.push_back(std::move(it->second));
            it = open.erase(it);
        }
    };
    for (std::size_t i = 0; i < snapshots.size(); ++i) {
        const SnapshotMeta& s = *snapshots[i];
        std::optional<UnixSeconds> to;
        if (i + 1 < snapshots.size())
            to = snapshots[i + 1]->valid_from;
        bool overlaps = (!q.until || s.valid_from <= *q.until) && (!q.from || !to || *to > *q.from);
        std::vector<Mapping> now = overlaps ? mappings_of(s) : std::vector<Mapping>{};
        close_all_except(now, s.valid_from);
        for (auto& m : now) {
            auto it = std::find_if(open.begin(), open.end(), [&](const auto& o) { return o.first.same_as(m); });
            if (it != open.end()) {
                it->second.last = s;
                ++it->second.snapshots;
                continue;
            }
            AddressPeriod p{name, m.public_addresses, m.proto, m.ports, m.source, m.shared, s.valid_from,
                            std::nullopt, s, m.line, m.rule, s, 1};
            open.emplace_back(std::move(m), std::move(p));
        }
    }
    for (auto& [m, p] : open)
        out.push_back(std::move(p)); // still in force
}

void sort_periods(std::vector<AddressPeriod>& out)
{
    std::stable_sort(out.begin(), out.end(), [](const AddressPeriod& a, const AddressPeriod& b) {
        return std::tie(a.node, a.valid_from) < std::tie(b.node, b.valid_from);
    });
}

} // namespace

std::vector<AddressPeriod> forward_lookup(History& history, const ForwardQuery& q)
{
    std::vector<const NodeRef*> nodes;
    select_nodes(history, q.node, nodes);
    std::vector<AddressPeriod> out;
    std::vector<Rule> rules;
    for (const NodeRef* node : nodes) {
        std::vector<SnapshotPtr> snapshots;
        history.usable_snapshots(*node, snapshots);
        node_periods(node->name, snapshots, q,
                     [&](const SnapshotMeta& s) { return mappings(history, s.ruleset_id, q.address, rules); }, out);
    }
    sort_periods(out);
    return out;
}

std::vector<AddressPeriod> forward_lookup6(Timeline6& timeline, History& history, const ForwardQuery& q)
{
    std::vector<const NodeRef*> nodes;
    select_nodes(history, q.node, nodes);
    std::vector<AddressPeriod> out;
    std::map<std::int64_t, ReachMap6> reach;
    for (const NodeRef* node : nodes) {
        std::vector<SnapshotPtr> snapshots;
        timeline.usable_snapshots(*node, snapshots);
        node_periods(node->name, snapshots, q, [&](const SnapshotMeta& s) {
            const auto& rules = timeline.rules(s.ruleset_id);
            auto it = reach.find(s.ruleset_id);
            if (it == reach.end())
                it = reach.emplace(s.ruleset_id, evaluate_first_match6(rules)).first;
            return mappings6(rules, it->second, *q.address6);
        }, out);
    }
    sort_periods(out);
    return out;
}

} // namespace natfw
