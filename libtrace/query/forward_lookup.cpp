#include "query/forward_lookup.hpp"

#include "util/errors.hpp"
#include "derive/nat_cells.hpp"
#include "store/statements.hpp"
#include "store/stored_rule.hpp"
#include "util/ipv4_set.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

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

/// Parses what Ipv4Set::describe wrote ("10.0.0.2, 10.0.0.4-10.0.0.9, 10.0.1.0/24").
Ipv4Set parse_described(const std::string& text)
{
    Ipv4Set out;
    std::size_t pos = 0;
    while (pos < text.size()) {
        auto end = text.find(", ", pos);
        std::string part = text.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
        if (auto r = parse_ipv4_dash_range(part))
            out.add(*r);
        else if (auto n = parse_ipv4_network(part))
            out.add(*n);
        pos = end == std::string::npos ? text.size() : end + 2;
    }
    return out;
}

class Finder {
public:
    explicit Finder(SQLite::Database& db)
        : m_host_rules(db, sql::k_host_rules_for_source), m_wide_rules(db, sql::k_wide_rules_for_source),
          m_first_cell(db, sql::k_rule_first_cell), m_reach(db, sql::k_rule_reach)
    {
    }

    /// What the ruleset gives `address`, per protocol, in rule order.
    std::vector<Mapping> mappings(std::int64_t ruleset, Ipv4 address)
    {
        std::vector<std::pair<int, Mapping>> found; // by rule position
        for (auto* st : {&m_host_rules, &m_wide_rules}) {
            st->reset();
            st->bind(1, ruleset);
            st->bind(2, static_cast<std::int64_t>(address));
            while (st->executeStep())
                add_mappings(*st, ruleset, address, found);
        }
        std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<Mapping> out;
        for (auto& [position, m] : found)
            out.push_back(std::move(m));
        return out;
    }

private:
    /// The mappings of the rule at the statement's current row.
    void add_mappings(SQLite::Statement& st, std::int64_t ruleset, Ipv4 address,
                      std::vector<std::pair<int, Mapping>>& out)
    {
        const Rule r = stored_rule(st);
        if (!is_source_nat(r))
            return;
        for (int proto : {k_proto_tcp, k_proto_udp}) {
            if (!applies_to_protocol(r, proto))
                continue;
            auto source = reaching_source(ruleset, r, proto, address);
            if (!source)
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
            out.emplace_back(r.position, std::move(m));
        }
    }

    /// The part of the rule's source that reaches it, if it holds `address`.
    std::optional<Ipv4Set> reaching_source(std::int64_t ruleset, const Rule& r, int proto, Ipv4 address)
    {
        Ipv4Range pub = r.target == "MASQUERADE" || !r.to_addresses ? Ipv4Range{0, 0xFFFFFFFFu} : *r.to_addresses;
        PortRange ports = r.to_ports.value_or(PortRange{1, 65535});
        m_first_cell.reset();
        m_first_cell.bind(1, ruleset);
        m_first_cell.bind(2, proto);
        m_first_cell.bind(3, static_cast<std::int64_t>(pub.lo));
        m_first_cell.bind(4, ports.lo);
        m_first_cell.bind(5, r.position);
        if (!m_first_cell.executeStep() || (m_first_cell.getColumn(0).getInt() & k_cell_never))
            return std::nullopt; // earlier rules take every source: it never applies
        Ipv4Set source = source_set(r.source);
        m_reach.reset();
        m_reach.bind(1, ruleset);
        m_reach.bind(2, r.position);
        m_reach.bind(3, proto);
        if (m_reach.executeStep()) {
            Ipv4Range hull{static_cast<Ipv4>(m_reach.getColumn(0).getInt64()),
                           static_cast<Ipv4>(m_reach.getColumn(1).getInt64())};
            source = Ipv4Set(hull).minus(parse_described(m_reach.getColumn(2).getString()));
        }
        if (!source.intersects(Ipv4Set({address, address})))
            return std::nullopt;
        return source;
    }

    SQLite::Statement m_host_rules, m_wide_rules, m_first_cell, m_reach;
};

SnapshotMeta snapshot_from(SQLite::Statement& st, const std::string& node)
{
    return SnapshotMeta{st.getColumn(0).getInt64(), node,
                        st.getColumn(1).getInt64(), st.getColumn(2).getString(),
                        st.getColumn(3).getString(), st.getColumn(4).getInt64(),
                        st.getColumn(5).getInt64(), st.getColumn(6).getInt64()};
}

} // namespace

std::vector<AddressPeriod> forward_lookup(SQLite::Database& db, const ForwardQuery& q)
{
    SQLite::Statement nodes(db, sql::k_all_nodes), snaps(db, sql::k_node_usable_snapshots);
    Finder finder(db);
    std::vector<AddressPeriod> out;
    bool node_found = q.node.empty();
    while (nodes.executeStep()) {
        std::string name = nodes.getColumn(1).getString();
        if (!q.node.empty() && name != q.node)
            continue;
        node_found = true;
        std::vector<SnapshotMeta> history;
        snaps.reset();
        snaps.bind(1, nodes.getColumn(0).getInt64());
        while (snaps.executeStep())
            history.push_back(snapshot_from(snaps, name));
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
        for (std::size_t i = 0; i < history.size(); ++i) {
            const SnapshotMeta& s = history[i];
            std::optional<UnixSeconds> to;
            if (i + 1 < history.size())
                to = history[i + 1].valid_from;
            bool overlaps = (!q.until || s.valid_from <= *q.until) && (!q.from || !to || *to > *q.from);
            std::vector<Mapping> now = overlaps ? finder.mappings(s.ruleset_id, q.address) : std::vector<Mapping>{};
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
    if (!node_found)
        throw UsageError(fmt::format("unknown node \"{}\"", q.node));
    std::stable_sort(out.begin(), out.end(), [](const AddressPeriod& a, const AddressPeriod& b) {
        return std::tie(a.node, a.valid_from) < std::tie(b.node, b.valid_from);
    });
    return out;
}

} // namespace natfw
