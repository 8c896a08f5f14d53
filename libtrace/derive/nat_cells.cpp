#include "derive/nat_cells.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace natfw {

namespace {

struct Item {
    Ipv4 pub_lo, pub_hi;
    std::uint32_t port_lo, port_hi;
    int position;
    bool masquerade;
    bool never;
};

/// Sweeps the port axis for the items covering one public interval: each
/// stretch between two block edges gets a cell per item covering it, in rule
/// order. Walking the edges keeps this linear in the cells made; testing
/// every item against every stretch was quadratic in a node's clients.
void sweep_ports(int proto, Ipv4 pub_lo, Ipv4 pub_hi, const std::vector<const Item*>& active,
                 std::vector<NatCell>& out)
{
    struct Edge {
        std::uint32_t port;
        bool opens;
        const Item* item;
    };
    std::vector<Edge> edges;
    edges.reserve(2 * active.size());
    for (const Item* it : active) {
        edges.push_back({it->port_lo, true, it});
        edges.push_back({it->port_hi + 1, false, it});
    }
    std::sort(edges.begin(), edges.end(), [](const Edge& a, const Edge& b) { return a.port < b.port; });
    auto by_position = [](const Item* a, const Item* b) { return a->position < b->position; };
    std::set<const Item*, decltype(by_position)> covering(by_position);
    for (std::size_t k = 0; k < edges.size();) {
        const std::uint32_t lo = edges[k].port;
        for (; k < edges.size() && edges[k].port == lo; ++k) {
            if (edges[k].opens)
                covering.insert(edges[k].item);
            else
                covering.erase(edges[k].item);
        }
        if (k == edges.size())
            break;
        const std::uint32_t hi = edges[k].port - 1;
        for (const Item* it : covering)
            out.push_back({proto, pub_lo, pub_hi, static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi),
                           it->position, it->masquerade, it->never});
    }
}

void cells_for_protocol(int proto, const std::vector<Rule>& rules, const ReachMap& reach, std::vector<NatCell>& out)
{
    std::vector<Item> items;
    for (const auto& r : rules) {
        if (!is_source_nat(r) || !applies_to_protocol(r, proto))
            continue;
        auto rr = reach.find({r.position, proto});
        bool never = rr == reach.end() || rr->second.reach.empty(); // no connection reaches it
        bool masq = r.target == "MASQUERADE";
        Ipv4Range pub = masq || !r.to_addresses ? Ipv4Range{0, 0xFFFFFFFFu} : *r.to_addresses;
        PortRange ports = r.to_ports.value_or(PortRange{1, 65535});
        items.push_back({pub.lo, pub.hi, ports.lo, ports.hi, r.position, masq, never});
    }
    // Sweep the public axis: at each boundary the set of covering items changes.
    std::map<std::uint64_t, std::pair<std::vector<const Item*>, std::vector<const Item*>>> events;
    for (const auto& it : items) {
        events[it.pub_lo].first.push_back(&it);
        events[std::uint64_t{it.pub_hi} + 1].second.push_back(&it);
    }
    std::set<const Item*> active;
    for (auto e = events.begin(); e != events.end(); ++e) {
        for (const Item* it : e->second.second)
            active.erase(it);
        for (const Item* it : e->second.first)
            active.insert(it);
        auto next = std::next(e);
        if (active.empty() || next == events.end())
            continue;
        std::vector<const Item*> sorted(active.begin(), active.end());
        std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->position < b->position; });
        sweep_ports(proto, static_cast<Ipv4>(e->first), static_cast<Ipv4>(next->first - 1), sorted, out);
    }
}

} // namespace

std::vector<NatCell> build_nat_cells(const std::vector<Rule>& rules, const ReachMap& reach)
{
    std::vector<NatCell> out;
    cells_for_protocol(k_proto_tcp, rules, reach, out);
    cells_for_protocol(k_proto_udp, rules, reach, out);
    return out;
}

DerivedRuleset derive_ruleset(const std::vector<Rule>& rules)
{
    DerivedRuleset d;
    d.reach = evaluate_first_match(rules, &d.approximated);
    d.cells = build_nat_cells(rules, d.reach);
    return d;
}

} // namespace natfw
