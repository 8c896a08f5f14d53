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

/// Sweeps the port axis for the items covering one public interval.
void sweep_ports(int proto, Ipv4 pub_lo, Ipv4 pub_hi, const std::vector<const Item*>& active,
                 std::vector<NatCell>& out)
{
    std::vector<std::uint32_t> bounds;
    for (const Item* it : active) {
        bounds.push_back(it->port_lo);
        bounds.push_back(it->port_hi + 1);
    }
    std::sort(bounds.begin(), bounds.end());
    bounds.erase(std::unique(bounds.begin(), bounds.end()), bounds.end());
    for (std::size_t k = 0; k + 1 < bounds.size(); ++k) {
        std::uint32_t lo = bounds[k], hi = bounds[k + 1] - 1;
        for (const Item* it : active) {
            if (it->port_lo <= lo && hi <= it->port_hi)
                out.push_back({proto, pub_lo, pub_hi, static_cast<std::uint16_t>(lo), static_cast<std::uint16_t>(hi),
                               it->position, it->masquerade, it->never});
        }
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
