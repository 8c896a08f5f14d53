#include "tracer.hpp"

#include "errors.hpp"
#include "nat_cells.hpp"
#include "statements.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace natfw {

namespace {

std::string proto_name(int proto) { return proto == k_proto_tcp ? "tcp" : "udp"; }

std::vector<std::string> split_lines(const std::string& s)
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        auto end = s.find('\n', pos);
        out.push_back(s.substr(pos, end == std::string::npos ? std::string::npos : end - pos));
        pos = end == std::string::npos ? s.size() : end + 1;
    }
    return out;
}

void add_warning(Answer& a, std::string w)
{
    if (std::find(a.warnings.begin(), a.warnings.end(), w) == a.warnings.end())
        a.warnings.push_back(std::move(w));
}

} // namespace

Tracer::Tracer(SQLite::Database& db)
    : m_all_nodes(db, sql::k_all_nodes), m_node_by_name(db, sql::k_node_by_name), m_usable_at(db, sql::k_usable_at),
      m_usable_after(db, sql::k_usable_after), m_unusable_between(db, sql::k_unusable_between),
      m_first_snapshot(db, sql::k_first_snapshot), m_cell_pub_lo(db, sql::k_cell_pub_lo),
      m_cell_rules(db, sql::k_cell_rules), m_cell_has_snat(db, sql::k_cell_has_snat)
{
}

std::vector<Tracer::Node> Tracer::nodes(const std::string& only)
{
    std::vector<Node> out;
    SQLite::Statement& st = only.empty() ? m_all_nodes : m_node_by_name;
    st.reset();
    if (!only.empty())
        st.bind(1, only);
    while (st.executeStep())
        out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getString()});
    if (!only.empty() && out.empty()) {
        std::vector<std::string> names;
        for (const auto& n : nodes({}))
            names.push_back(n.name);
        throw UsageError(fmt::format("unknown node \"{}\"; the index has: {}", only,
                                     names.empty() ? "no nodes" : fmt::format("{}", fmt::join(names, ", "))));
    }
    return out;
}

std::optional<Tracer::Snapshot> Tracer::snapshot_row(SQLite::Statement& st)
{
    if (!st.executeStep())
        return std::nullopt;
    return Snapshot{st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getString(),
                    st.getColumn(3).getString(), st.getColumn(4).getInt64()};
}

std::optional<Tracer::Snapshot> Tracer::usable_at(std::int64_t node, UnixSeconds t)
{
    m_usable_at.reset();
    m_usable_at.bind(1, node);
    m_usable_at.bind(2, static_cast<std::int64_t>(t));
    return snapshot_row(m_usable_at);
}

std::optional<Tracer::Snapshot> Tracer::usable_after(std::int64_t node, UnixSeconds t)
{
    m_usable_after.reset();
    m_usable_after.bind(1, node);
    m_usable_after.bind(2, static_cast<std::int64_t>(t));
    return snapshot_row(m_usable_after);
}

std::optional<std::int64_t> Tracer::cell_column(std::int64_t ruleset, int proto, Ipv4 ip)
{
    m_cell_pub_lo.reset();
    m_cell_pub_lo.bind(1, ruleset);
    m_cell_pub_lo.bind(2, proto);
    m_cell_pub_lo.bind(3, static_cast<std::int64_t>(ip));
    if (!m_cell_pub_lo.executeStep() || m_cell_pub_lo.getColumn(0).isNull())
        return std::nullopt;
    return m_cell_pub_lo.getColumn(0).getInt64();
}

std::vector<Tracer::Hit> Tracer::hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port)
{
    std::vector<Hit> out;
    auto pub_lo = cell_column(ruleset, proto, ip);
    if (!pub_lo)
        return out;

    auto& st = m_cell_rules;
    st.reset();
    st.bind(1, ruleset);
    st.bind(2, proto);
    st.bind(3, *pub_lo);
    st.bind(4, port);
    while (st.executeStep()) {
        if (st.getColumn(2).getInt64() < ip || st.getColumn(3).getInt() < port)
            continue; // the cell below ends before the address or port
        Rule r;
        r.position = st.getColumn(0).getInt();
        r.line = st.getColumn(4).getInt();
        r.chain = st.getColumn(5).getString();
        r.target = st.getColumn(6).getString();
        r.proto = st.getColumn(7).getString();
        r.source = SourceMatch{{static_cast<Ipv4>(st.getColumn(8).getInt64()), static_cast<Ipv4>(st.getColumn(9).getInt64())},
                               st.getColumn(10).getInt() != 0};
        if (!st.getColumn(11).isNull())
            r.to_addresses = Ipv4Range{static_cast<Ipv4>(st.getColumn(11).getInt64()),
                                       static_cast<Ipv4>(st.getColumn(12).getInt64())};
        if (!st.getColumn(13).isNull())
            r.to_ports = PortRange{static_cast<std::uint16_t>(st.getColumn(13).getInt()),
                                   static_cast<std::uint16_t>(st.getColumn(14).getInt())};
        r.conditions = split_lines(st.getColumn(15).getString());
        r.text = st.getColumn(16).getString();
        out.push_back({std::move(r), st.getColumn(1).getInt() != 0, proto});
    }
    return out;
}

bool Tracer::maps_address(std::int64_t ruleset, int proto, Ipv4 ip)
{
    auto pub_lo = cell_column(ruleset, proto, ip);
    if (!pub_lo)
        return false;
    m_cell_has_snat.reset();
    m_cell_has_snat.bind(1, ruleset);
    m_cell_has_snat.bind(2, proto);
    m_cell_has_snat.bind(3, *pub_lo);
    m_cell_has_snat.bind(4, static_cast<std::int64_t>(ip));
    return m_cell_has_snat.executeStep();
}

std::vector<int> Tracer::protocols(const Query& q) const
{
    if (q.proto == "tcp")
        return {k_proto_tcp};
    if (q.proto == "udp")
        return {k_proto_udp};
    return {k_proto_tcp, k_proto_udp};
}

std::vector<std::string> Tracer::sources_in(const Snapshot& s, const Query& q)
{
    std::set<std::string> out;
    for (int proto : protocols(q))
        for (const auto& h : hits(s.ruleset_id, proto, q.ip, q.port))
            if (!h.masquerade)
                out.insert(h.rule.source.describe());
    return {out.begin(), out.end()};
}

void Tracer::answer_node(const Query& q, UnixSeconds t, const Node& node, Answer& a,
                         std::vector<std::string>& none_details)
{
    auto in_force = usable_at(node.id, t);

    m_unusable_between.reset();
    m_unusable_between.bind(1, node.id);
    m_unusable_between.bind(2, static_cast<std::int64_t>(in_force ? in_force->valid_from : INT64_MIN));
    m_unusable_between.bind(3, static_cast<std::int64_t>(t));
    while (m_unusable_between.executeStep()) {
        add_warning(a, fmt::format("{} (dated {}) is unusable: line {}: {}; it was never in force, so the answer "
                                   "comes from {}",
                                   m_unusable_between.getColumn(0).getString(),
                                   format_iso_utc(m_unusable_between.getColumn(3).getInt64()),
                                   m_unusable_between.getColumn(1).getInt(), m_unusable_between.getColumn(2).getString(),
                                   in_force ? in_force->path : std::string("no earlier snapshot")));
    }

    warn_nearby_changes(q, t, node, in_force, a);

    if (!in_force) {
        m_first_snapshot.reset();
        m_first_snapshot.bind(1, node.id);
        if (m_first_snapshot.executeStep() && !m_first_snapshot.getColumn(0).isNull() &&
            m_first_snapshot.getColumn(0).getInt64() > t)
            none_details.push_back(fmt::format("node {}: its history starts at {}", node.name,
                                               format_iso_utc(m_first_snapshot.getColumn(0).getInt64())));
        else
            none_details.push_back(fmt::format("node {}: no usable snapshot at or before that time", node.name));
        return;
    }
    auto next = usable_after(node.id, in_force->valid_from);
    bool mapped = false;
    bool address_known = false;
    std::vector<std::pair<Rule, std::vector<std::string>>> masquerades; // rule, protocols
    for (int proto : protocols(q)) {
        for (auto& h : hits(in_force->ruleset_id, proto, q.ip, q.port)) {
            if (h.masquerade) {
                auto same = std::find_if(masquerades.begin(), masquerades.end(),
                                         [&](const auto& m) { return m.first.line == h.rule.line; });
                if (same == masquerades.end())
                    masquerades.push_back({h.rule, {proto_name(proto)}});
                else
                    same->second.push_back(proto_name(proto));
                continue;
            }
            mapped = true;
            Candidate c;
            c.internal = h.rule.source.describe();
            c.single_host = h.rule.source.single_host();
            c.node = node.name;
            c.snapshot = in_force->path;
            c.sha256 = in_force->sha256;
            c.valid_from = in_force->valid_from;
            if (next)
                c.valid_to = next->valid_from;
            c.line = h.rule.line;
            c.rule = h.rule.text;
            c.proto = proto_name(proto);
            c.ports = h.rule.to_ports.value_or(PortRange{1, 65535});
            c.conditions = h.rule.conditions;
            c.instant = t;
            if (!h.rule.to_ports)
                add_warning(a, fmt::format("{}:{}: the rule has no port block, so it covers every port", c.snapshot, c.line));
            bool duplicate = std::any_of(a.candidates.begin(), a.candidates.end(), [&](const Candidate& o) {
                return o.node == c.node && o.snapshot == c.snapshot && o.line == c.line && o.proto == c.proto;
            });
            if (!duplicate)
                a.candidates.push_back(std::move(c));
        }
        address_known = address_known || maps_address(in_force->ruleset_id, proto, q.ip);
    }
    for (const auto& [rule, protos] : masquerades)
        add_warning(a, fmt::format("{}:{}: MASQUERADE for {} could also have produced {} port {} if node {}'s address "
                                   "was {}: {}",
                                   in_force->path, rule.line, rule.source.describe(), fmt::join(protos, "/"), q.port,
                                   node.name, format_ipv4(q.ip), rule.text));
    if (!mapped) {
        std::string protos = q.proto.empty() ? "tcp or udp" : q.proto;
        none_details.push_back(address_known
                                   ? fmt::format("{} maps {} but no {} port block holds port {}", in_force->path,
                                                 format_ipv4(q.ip), protos, q.port)
                                   : fmt::format("{} does not map {}", in_force->path, format_ipv4(q.ip)));
    }
}

void Tracer::warn_nearby_changes(const Query& q, UnixSeconds t, const Node& node,
                                 const std::optional<Snapshot>& in_force, Answer& a)
{
    // Only worked out when a change lies inside the window, which is rare.
    std::optional<std::vector<std::string>> now_cache;
    auto now = [&]() -> const std::vector<std::string>& {
        if (!now_cache)
            now_cache = in_force ? sources_in(*in_force, q) : std::vector<std::string>{};
        return *now_cache;
    };
    auto describe = [](const std::vector<std::string>& s) {
        return s.empty() ? std::string("no address") : fmt::format("{}", fmt::join(s, " "));
    };
    auto compare = [&](const Snapshot& other, UnixSeconds change_at) {
        auto there = sources_in(other, q);
        if (there == now())
            return;
        UnixSeconds distance = change_at > t ? change_at - t : t - change_at;
        add_warning(a, fmt::format("the ruleset changed at {} ({} s {} the instant): {} gives port {} to {} "
                                   "(at the instant: {}); check the complaint's clock",
                                   format_iso_utc(change_at), distance, change_at > t ? "after" : "before", other.path,
                                   q.port, describe(there), describe(now())));
    };
    // Earlier rulesets whose period ended within the window.
    if (in_force) {
        UnixSeconds boundary = in_force->valid_from;
        while (t - boundary <= k_change_window) {
            auto prev = usable_at(node.id, boundary - 1);
            if (!prev)
                break;
            compare(*prev, boundary);
            boundary = prev->valid_from;
        }
    }
    // Later rulesets that came into force within the window.
    UnixSeconds from = in_force ? in_force->valid_from : t;
    while (auto next = usable_after(node.id, from)) {
        if (next->valid_from - t > k_change_window)
            break;
        compare(*next, next->valid_from);
        from = next->valid_from;
    }
}

Answer Tracer::lookup(const Query& q)
{
    Answer a;
    std::vector<std::string> none_details;
    auto all = nodes(q.node);
    for (UnixSeconds t : q.instants)
        for (const auto& node : all)
            answer_node(q, t, node, a, none_details);
    if (all.empty())
        none_details.push_back("the index holds no snapshots");
    settle_status(a, q);
    if (a.status == Status::none)
        a.reason = fmt::format("no ruleset maps {} {} port {} at {}: {}", format_ipv4(q.ip),
                               q.proto.empty() ? "tcp/udp" : q.proto, q.port, format_iso_utc(q.instants.front()),
                               fmt::join(none_details, "; "));
    return a;
}

void settle_status(Answer& a, const Query& q)
{
    std::set<std::string> distinct;
    std::set<std::string> protos;
    std::set<UnixSeconds> instants;
    for (const auto& c : a.candidates) {
        distinct.insert(c.internal);
        protos.insert(c.proto);
        instants.insert(c.instant);
    }
    if (distinct.empty()) {
        a.status = Status::none;
        return;
    }
    if (distinct.size() == 1 && a.candidates.front().single_host) {
        a.status = Status::unique;
        return;
    }
    a.status = Status::ambiguous;
    if (distinct.size() == 1) {
        a.reason = fmt::format("the rule's source {} covers more than one address", *distinct.begin());
        return;
    }
    std::vector<std::string> why;
    if (q.instants.size() > 1 && instants.size() > 1)
        why.push_back("the local time occurs twice (DST overlap) and the two instants differ");
    if (q.proto.empty() && protos.size() > 1) {
        std::set<std::string> tcp, udp;
        for (const auto& c : a.candidates)
            (c.proto == "tcp" ? tcp : udp).insert(c.internal);
        if (tcp != udp)
            why.push_back("tcp and udp rules differ; give --proto");
    }
    if (why.empty())
        why.push_back("several rules cover the port");
    a.reason = fmt::format("{} candidates ({}): {}", distinct.size(), fmt::join(distinct, ", "), fmt::join(why, "; "));
}

} // namespace natfw
