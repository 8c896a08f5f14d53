#include "query/forward_lookup.hpp"

#include "query/lookup_front.hpp"

#include <algorithm>
#include <tuple>

namespace natfw {

namespace {

struct Mapping {
    std::optional<Ipv4Range> public_addresses;
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
            Mapping m;
            if (r.target != "MASQUERADE")
                m.public_addresses = r.to_addresses;
            m.proto = proto == k_proto_tcp ? "tcp" : "udp";
            m.ports = r.to_ports;
            m.source = source->describe();
            m.shared = source->size() > 1;
            m.line = r.line;
            m.rule = r.text;
            out.push_back(std::move(m));
        }
    }
    return out;
}

} // namespace

std::vector<AddressPeriod> forward_lookup(History& history, const ForwardQuery& q)
{
    std::vector<const NodeRef*> nodes;
    select_nodes(history, q.node, nodes);
    std::vector<AddressPeriod> out;
    std::vector<Rule> rules;
    for (const NodeRef* node : nodes) {
        const std::string& name = node->name;
        std::vector<SnapshotPtr> snapshots;
        history.usable_snapshots(*node, snapshots);
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
            std::vector<Mapping> now = overlaps ? mappings(history, s.ruleset_id, q.address, rules) : std::vector<Mapping>{};
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
    std::stable_sort(out.begin(), out.end(), [](const AddressPeriod& a, const AddressPeriod& b) {
        return std::tie(a.node, a.valid_from) < std::tie(b.node, b.valid_from);
    });
    return out;
}

} // namespace natfw
