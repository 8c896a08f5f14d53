#include "query/tracer.hpp"

#include "derive/nat_cells.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>
#include <span>

namespace natfw {

Tracer::Tracer(History& history, bool with_details, EvidenceCheck* evidence)
    : m_history(history), m_with_details(with_details), m_evidence(evidence)
{
}

std::vector<std::string> Tracer::sources_in(const SnapshotMeta& s, const Query& q)
{
    std::set<std::string> out;
    for (int proto : query_protocols(q)) {
        m_hits.clear();
        m_history.hits(s.ruleset_id, proto, q.ip, q.port, m_hits);
        for (const auto& h : m_hits)
            if (!h.masquerade && !h.never)
                out.insert(h.source.describe());
    }
    return {out.begin(), out.end()};
}

void Tracer::answer_node(const Query& q, UnixSeconds t, const NodeRef& node, Answer& a,
                         std::vector<std::string>& none_details)
{
    const UnixSeconds from = t - q.window_before;
    const UnixSeconds to = t + q.window_after;
    SnapshotPtr in_force = m_history.usable_at(node, from);

    m_unusable.clear();
    m_history.unusable_between(node, in_force ? in_force->valid_from : INT64_MIN, to, m_unusable);
    for (const auto& u : m_unusable)
        add_warning(a, unusable_warning(u, in_force ? in_force->path : std::string("no earlier snapshot")));

    SnapshotPtr successor = m_history.usable_after(node, in_force ? in_force->valid_from : from);
    if (!q.has_window())
        warn_nearby_changes(q, t, node, in_force, successor, a);

    if (!in_force && (!q.has_window() || !successor || successor->valid_from > to)) {
        auto first = m_history.first_snapshot(node);
        if (first && *first > to)
            none_details.push_back(fmt::format("node {}: its history starts at {}", node.name, format_iso_utc(*first)));
        else
            none_details.push_back(fmt::format("node {}: no usable snapshot {}", node.name,
                                               q.has_window() ? "in force in the window" : "at or before that time"));
        return;
    }
    // The instant: the one snapshot in force. A window: every snapshot in
    // force at some moment of it, each candidate labelled with its period.
    SnapshotPtr s = in_force ? in_force : successor;
    while (s) {
        SnapshotPtr next = s == in_force ? successor : m_history.usable_after(node, s->valid_from);
        answer_snapshot(q, t, node, s, next, a, none_details);
        if (!s->doubt.empty())
            answer_earlier(q, t, node, s, a, none_details);
        if (!q.has_window() || !next || next->valid_from > to)
            break;
        s = next;
    }
}

void Tracer::answer_earlier(const Query& q, UnixSeconds t, const NodeRef& node, SnapshotPtr doubtful, Answer& a,
                            std::vector<std::string>& none_details)
{
    // The file may never have loaded: then the ruleset before it stayed in
    // force, and so on back to one that surely was.
    std::vector<std::string> considered;
    SnapshotPtr later = doubtful;
    for (SnapshotPtr prev = m_history.usable_at(node, doubtful->valid_from - 1); prev;
         prev = m_history.usable_at(node, prev->valid_from - 1)) {
        answer_snapshot(q, t, node, prev, later, a, none_details);
        considered.push_back(prev->path);
        if (prev->doubt.empty())
            break;
        later = prev;
    }
    add_warning(a, doubt_warning(*doubtful, considered, ""));
}

void Tracer::answer_snapshot(const Query& q, UnixSeconds t, const NodeRef& node, SnapshotPtr in_force,
                             SnapshotPtr successor, Answer& a, std::vector<std::string>& none_details)
{
    SnapshotScan scan{q, t, node, in_force};
    if (successor)
        scan.valid_to = successor->valid_from;
    for (int proto : query_protocols(q)) {
        m_hits.clear();
        m_history.hits(in_force->ruleset_id, proto, q.ip, q.port, m_hits);
        for (const auto& h : m_hits) {
            if (h.never) {
                if (std::find(scan.never_lines.begin(), scan.never_lines.end(), h.line) == scan.never_lines.end())
                    scan.never_lines.push_back(h.line);
            } else if (!h.masquerade || masquerade_is_candidate(scan, h, a)) {
                scan.mapped = true;
                add_candidate(scan, proto, h, a);
            } else if (!own_address(scan)) {
                auto same = std::find_if(scan.masquerades.begin(), scan.masquerades.end(),
                                         [&](const auto& m) { return m.first.position == h.position; });
                if (same == scan.masquerades.end())
                    scan.masquerades.emplace_back(h, proto_name(proto));
                else
                    same->second += std::string("/") + proto_name(proto);
            }
        }
        if (!scan.mapped)
            scan.address_known = scan.address_known || m_history.maps_address(in_force->ruleset_id, proto, q.ip);
    }
    if (scan.mapped && k_default_ephemeral.lo <= q.port && q.port <= k_default_ephemeral.hi) {
        // The same text for every port of a node: batches copy it, never format it.
        auto [it, inserted] = m_ephemeral_warning.try_emplace(node.id);
        if (inserted)
            it->second = fmt::format("port in ephemeral range {}-{}: node {} itself may use it too",
                                     k_default_ephemeral.lo, k_default_ephemeral.hi, node.name);
        add_warning(a, it->second);
    }
    for (const auto& [rule, protos] : scan.masquerades)
        add_warning(a, fmt::format("{}:{}: MASQUERADE for {} could also have produced {} port {} if node {}'s address "
                                   "was {} (record it with natfw-index --masquerade-address): {}",
                                   in_force->path, rule.line, rule.source.describe(), protos, q.port, node.name,
                                   format_ipv4(q.ip), m_history.rule_detail(in_force->ruleset_id, rule.position).text));
    if (!scan.mapped)
        none_details.push_back(why_unmapped(scan));
}

const std::optional<std::pair<Ipv4, UnixSeconds>>& Tracer::own_address(SnapshotScan& scan)
{
    // Looked up on the first MASQUERADE hit only: most answers have none.
    if (!scan.own_lookup)
        scan.own_lookup = m_history.node_address(scan.node, scan.t);
    return *scan.own_lookup;
}

bool Tracer::masquerade_is_candidate(SnapshotScan& scan, const RuleHit& h, Answer& a)
{
    // MASQUERADE uses the node's own address: a candidate when it is recorded and is the queried one.
    const auto& own = own_address(scan);
    if (!own || own->first != scan.q.ip)
        return false;
    add_warning(a, fmt::format("{}:{}: MASQUERADE: node {}'s address is {} (recorded from {})", scan.in_force->path,
                               h.line, scan.node.name, format_ipv4(own->first), format_iso_utc(own->second)));
    return true;
}

void Tracer::add_candidate(const SnapshotScan& scan, int proto, const RuleHit& h, Answer& a)
{
    const SnapshotPtr in_force = scan.in_force;
    bool duplicate = std::any_of(a.candidates.begin(), a.candidates.end(), [&](const Candidate& o) {
        return o.snapshot->id == in_force->id && o.line == h.line && o.proto == proto_name(proto);
    });
    if (duplicate)
        return; // the other instant of a DST overlap, same rule
    Candidate& c = a.candidates.emplace_back();
    c.internal = h.source.describe();
    c.single_host = h.source.single_host();
    if (c.single_host)
        c.host4 = h.source.range.lo;
    c.excluded = h.excluded;
    if (!h.taken_by.empty())
        add_warning(a, reach_warning(in_force->path, h.line, c.internal, h.excluded, h.taken_by));
    c.snapshot = in_force;
    c.valid_to = scan.valid_to;
    c.line = h.line;
    c.proto = proto_name(proto);
    c.ports = h.ports.value_or(PortRange{1, 65535});
    c.instant = scan.t;
    if (m_with_details) {
        auto detail = m_history.rule_detail(in_force->ruleset_id, h.position);
        c.rule = std::move(detail.text);
        c.conditions = std::move(detail.conditions);
    }
    if (!h.ports)
        add_warning(a, fmt::format("{}:{}: the rule has no port block, so it covers every port", in_force->path,
                                   h.line));
}

std::string Tracer::why_unmapped(const SnapshotScan& scan)
{
    const Query& q = scan.q;
    const auto& never = scan.never_lines;
    if (!never.empty()) {
        bool one = never.size() == 1;
        return fmt::format("{}: {} {} {} port {}, but earlier rules take every source {} (first match), so {} never {}",
                           scan.in_force->path, one ? "line" : "lines", fmt::join(never, ", "),
                           one ? "covers" : "cover", q.port, one ? "it names" : "they name", one ? "it" : "they",
                           one ? "applies" : "apply");
    }
    std::string protos = q.proto.empty() ? "tcp or udp" : q.proto;
    return scan.address_known ? fmt::format("{} maps {} but no {} port block holds port {}", scan.in_force->path,
                                            format_ipv4(q.ip), protos, q.port)
                              : fmt::format("{} does not map {}", scan.in_force->path, format_ipv4(q.ip));
}

void Tracer::warn_nearby_changes(const Query& q, UnixSeconds t, const NodeRef& node, SnapshotPtr in_force,
                                 SnapshotPtr successor, Answer& a)
{
    // Only worked out when a change lies inside the window, which is rare.
    std::optional<std::vector<std::string>> now_cache;
    auto now = [&]() -> const std::vector<std::string>& {
        if (!now_cache)
            now_cache = in_force ? sources_in(*in_force, q) : std::vector<std::string>{};
        return *now_cache;
    };
    auto compare = [&](const SnapshotMeta& other, UnixSeconds change_at) {
        auto there = sources_in(other, q);
        if (there != now())
            add_warning(a, nearby_change_warning("", change_at, t, other.path, q.port, there, now()));
    };
    // Earlier rulesets whose period ended within the window.
    if (in_force) {
        UnixSeconds boundary = in_force->valid_from;
        while (t - boundary <= k_change_window) {
            auto prev = m_history.usable_at(node, boundary - 1);
            if (!prev)
                break;
            compare(*prev, boundary);
            boundary = prev->valid_from;
        }
    }
    // Later rulesets that came into force within the window.
    for (SnapshotPtr next = successor; next; next = m_history.usable_after(node, next->valid_from)) {
        if (next->valid_from - t > k_change_window)
            break;
        compare(*next, next->valid_from);
    }
}

Answer Tracer::lookup(const Query& q)
{
    Answer a;
    lookup(q, a);
    return a;
}

void Tracer::lookup(const Query& q, Answer& a)
{
    a.clear();
    std::vector<std::string> none_details;
    select_nodes(m_history, q.node, m_nodes);
    for (UnixSeconds t : q.instants)
        for (const NodeRef* node : m_nodes)
            answer_node(q, t, *node, a, none_details);
    if (m_nodes.empty())
        none_details.push_back("the index holds no snapshots");
    settle_status(a, q);
    m_evidence.add_to(a);
    if (a.status == Status::none)
        a.reason = none_reason("no ruleset maps", q, none_details);
}

void settle_status(Answer& a, const Query& q)
{
    // Candidates are few; small linear scans keep the common case allocation-free.
    const auto& cs = a.candidates;
    auto first_of = [&](std::size_t i) {
        for (std::size_t j = 0; j < i; ++j)
            if (cs[j].internal == cs[i].internal)
                return false;
        return true;
    };
    std::size_t distinct = 0;
    for (std::size_t i = 0; i < cs.size(); ++i)
        distinct += first_of(i);
    if (distinct == 0) {
        a.status = Status::none;
        return;
    }
    if (distinct == 1 && cs.front().single_host) {
        a.status = Status::unique;
        return;
    }
    a.status = Status::ambiguous;
    if (distinct == 1) {
        a.reason = fmt::format("the rule's source {} covers more than one address", cs.front().internal);
        return;
    }
    std::set<std::string> names, tcp, udp;
    std::set<UnixSeconds> instants;
    std::set<std::int64_t> snapshots;
    std::set<std::string> doubtful;
    for (const auto& c : cs) {
        if (!c.snapshot->doubt.empty())
            doubtful.insert(c.snapshot->path);
        names.insert(c.internal);
        (c.proto == "tcp" ? tcp : udp).insert(c.internal);
        instants.insert(c.instant);
        snapshots.insert(c.snapshot->id);
    }
    std::vector<std::string> why;
    if (!doubtful.empty() && snapshots.size() > 1)
        why.push_back(fmt::format("{} may never have been in force, and the rulesets that could have been give the "
                                  "port to different addresses",
                                  fmt::join(doubtful, ", ")));
    if (q.has_window() && snapshots.size() > 1)
        why.push_back(fmt::format("{} rulesets were in force in the window (--skew/--flow-age) and give the port to "
                                  "different addresses",
                                  snapshots.size()));
    if (q.instants.size() > 1 && instants.size() > 1)
        why.push_back("the local time occurs twice (DST overlap) and the two instants differ");
    if (q.proto.empty() && !tcp.empty() && !udp.empty() && tcp != udp)
        why.push_back("tcp and udp rules differ; give --proto");
    if (why.empty())
        why.push_back("several rules cover the port");
    a.reason = fmt::format("{} candidates ({}): {}", names.size(), fmt::join(names, ", "), fmt::join(why, "; "));
}

} // namespace natfw
