#include "query/nat6_tracer.hpp"

#include "query/tracer.hpp"
#include "util/ip_address.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <set>

namespace natfw {

namespace {

/// The span a rule reaches, and the holes earlier rules make in it (as IPv4 answers write them).
std::pair<Ipv6Range, std::vector<Ipv6Range>> hull_and_holes(const std::vector<Ipv6Range>& reach)
{
    std::vector<Ipv6Range> holes;
    for (std::size_t i = 1; i < reach.size(); ++i)
        holes.push_back({reach[i - 1].hi + 1, reach[i].lo - 1});
    return {Ipv6Range{reach.front().lo, reach.back().hi}, holes};
}

std::string describe_reach(const std::vector<Ipv6Range>& reach)
{
    auto [hull, holes] = hull_and_holes(reach);
    return format_ipv6_range(hull) + (holes.empty() ? std::string() : " except " + describe_ranges(holes));
}

bool covers_port(const Rule& r, std::uint16_t port) { return !r.to_ports || (r.to_ports->lo <= port && port <= r.to_ports->hi); }

} // namespace

Nat6Tracer::Nat6Tracer(Timeline6& timeline, History& history, bool with_details, EvidenceCheck* evidence)
    : m_timeline(timeline), m_history(history), m_with_details(with_details), m_evidence(evidence)
{
}

const ReachMap6& Nat6Tracer::reach(std::int64_t ruleset6_id)
{
    auto it = m_reach.find(ruleset6_id);
    if (it == m_reach.end())
        it = m_reach.emplace(ruleset6_id, evaluate_first_match6(m_timeline.rules(ruleset6_id))).first;
    return it->second;
}

void Nat6Tracer::lookup(const Query& q, Answer& a)
{
    a.clear();
    auto ip = parse_ipv6(q.address);
    std::vector<std::string> none_details;
    select_nodes(m_history, q.node, m_nodes);
    if (ip)
        for (UnixSeconds t : q.instants)
            for (const NodeRef* node : m_nodes)
                answer_node(q, t, *node, *ip, a, none_details);
    settle_status(a, q);
    m_evidence.add_to(a);
    if (a.status == Status::none)
        a.reason = none_reason("no IPv6 ruleset maps", q, none_details);
}

void Nat6Tracer::answer_node(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip, Answer& a,
                             std::vector<std::string>& none_details)
{
    const UnixSeconds from = t - q.window_before;
    const UnixSeconds to = t + q.window_after;
    SnapshotPtr in_force = m_timeline.in_force(node, from);
    std::vector<UnusableRef> unusable;
    m_timeline.unusable_between(node, in_force ? in_force->valid_from : INT64_MIN, to, unusable);
    for (const auto& u : unusable)
        add_warning(a, unusable_warning(u, in_force ? in_force->path : std::string("no earlier IPv6 snapshot")));
    SnapshotPtr successor = m_timeline.after(node, in_force ? in_force->valid_from : from);
    if (!q.has_window())
        warn_nearby_changes(q, t, node, ip, in_force, successor, a);
    if (!in_force && (!q.has_window() || !successor || successor->valid_from > to)) {
        none_details.push_back(fmt::format("node {}: no IPv6 ruleset {}", node.name,
                                           q.has_window() ? "in force in the window" : "at or before that time"));
        return;
    }
    for (SnapshotPtr s = in_force ? in_force : successor; s;) {
        SnapshotPtr next = s == in_force ? successor : m_timeline.after(node, s->valid_from);
        answer_snapshot(q, t, node, ip, s, next, a, none_details);
        if (!s->doubt.empty())
            answer_earlier(q, t, node, ip, s, a, none_details);
        if (!q.has_window() || !next || next->valid_from > to)
            break;
        s = next;
    }
}

bool Nat6Tracer::answer_snapshot(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip, SnapshotPtr s,
                                 SnapshotPtr successor, Answer& a, std::vector<std::string>& none_details)
{
    const auto& rules = m_timeline.rules(s->ruleset_id);
    const auto& reached = reach(s->ruleset_id);
    std::optional<std::optional<std::pair<Ipv6, UnixSeconds>>> own;
    bool mapped = false, address_known = false;
    std::vector<int> never;
    std::set<int> masquerade_lines;
    for (int proto : query_protocols(q)) {
        for (const auto& r : rules) {
            if (!is_source_nat(r) || !applies_to_protocol(r, proto))
                continue;
            bool masquerade = r.target == "MASQUERADE";
            if (!masquerade && !(r.to_addresses6 && r.to_addresses6->contains(ip)))
                continue;
            if (!covers_port(r, q.port)) {
                address_known = address_known || !masquerade;
                continue;
            }
            auto it = reached.find({r.position, proto});
            if (it == reached.end() || it->second.reach.empty()) {
                if (std::find(never.begin(), never.end(), r.line) == never.end())
                    never.push_back(r.line);
                continue;
            }
            const auto& rr = it->second;
            if (masquerade) {
                if (!own)
                    own = m_timeline.node_address(node, t);
                if (!*own) {
                    if (masquerade_lines.insert(r.line).second)
                        add_warning(a, fmt::format("{}:{}: MASQUERADE for {} could also have produced port {} if "
                                                   "node {}'s IPv6 address was {} (record it with natfw-index "
                                                   "--masquerade-address): {}",
                                                   s->path, r.line, describe_reach(rr.reach), q.port, node.name,
                                                   q.address, r.text));
                    continue;
                }
                if ((*own)->first != ip)
                    continue;
                add_warning(a, fmt::format("{}:{}: MASQUERADE: node {}'s IPv6 address is {} (recorded from {})", s->path,
                                           r.line, node.name, format_ipv6((*own)->first),
                                           format_iso_utc((*own)->second)));
            }
            mapped = true;
            bool duplicate = std::any_of(a.candidates.begin(), a.candidates.end(), [&](const Candidate& o) {
                return o.snapshot->id == s->id && o.line == r.line && o.proto == proto_name(proto);
            });
            if (duplicate)
                continue;
            // As for IPv4: the span the rule reaches, and the holes earlier rules make in it.
            Candidate& c = a.candidates.emplace_back();
            const auto [hull, holes] = hull_and_holes(rr.reach);
            c.internal = format_ipv6_range(hull);
            c.single_host = hull.single();
            c.excluded = describe_ranges(holes);
            c.snapshot = s;
            if (successor)
                c.valid_to = successor->valid_from;
            c.line = r.line;
            c.proto = proto_name(proto);
            c.ports = r.to_ports.value_or(PortRange{1, 65535});
            c.instant = t;
            if (m_with_details) {
                c.rule = r.text;
                c.conditions = r.conditions;
            }
            if (!rr.taken_by.empty())
                add_warning(a, reach_warning(s->path, r.line, c.internal, c.excluded, rr.taken_by));
            if (!c.single_host)
                add_warning(a, fmt::format("{}:{}: {} maps every client of {} to {}: the port alone cannot tell "
                                           "them apart (NAT66 over a prefix)",
                                           s->path, r.line, masquerade ? "MASQUERADE" : "SNAT", c.internal, q.address));
            if (!r.to_ports)
                add_warning(a, fmt::format("{}:{}: the rule has no port block, so it covers every port", s->path,
                                           r.line));
        }
    }
    if (!mapped) {
        std::string protos = q.proto.empty() ? "tcp or udp" : q.proto;
        if (!never.empty())
            none_details.push_back(fmt::format("{}: line(s) {} cover port {}, but earlier rules take every source "
                                               "they name (first match)",
                                               s->path, fmt::join(never, ", "), q.port));
        else if (address_known)
            none_details.push_back(fmt::format("{}: {} is a SNAT address, but no {} port block holds port {}", s->path,
                                               q.address, protos, q.port));
        else
            none_details.push_back(fmt::format("{}: no {} rule maps to {}", s->path, protos, q.address));
    }
    return mapped;
}

void Nat6Tracer::answer_earlier(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip, SnapshotPtr doubtful,
                                Answer& a, std::vector<std::string>& none_details)
{
    // As for IPv4: the file may never have loaded, so the rulesets before it back to one that surely did answer too.
    std::vector<std::string> considered;
    SnapshotPtr later = doubtful;
    for (SnapshotPtr prev = m_timeline.in_force(node, doubtful->valid_from - 1); prev;
         prev = m_timeline.in_force(node, prev->valid_from - 1)) {
        answer_snapshot(q, t, node, ip, prev, later, a, none_details);
        considered.push_back(prev->path);
        if (prev->doubt.empty())
            break;
        later = prev;
    }
    add_warning(a, doubt_warning(*doubtful, considered, "IPv6 "));
}

std::vector<std::string> Nat6Tracer::sources_in(const SnapshotMeta& s, const Query& q, Ipv6 ip)
{
    Answer scratch;
    std::vector<std::string> ignored;
    answer_snapshot(q, q.instants.front(), NodeRef{}, ip, &s, nullptr, scratch, ignored);
    std::set<std::string> out;
    for (const auto& c : scratch.candidates)
        out.insert(c.internal);
    return {out.begin(), out.end()};
}

void Nat6Tracer::warn_nearby_changes(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip,
                                     SnapshotPtr in_force, SnapshotPtr successor, Answer& a)
{
    std::optional<std::vector<std::string>> now;
    auto compare = [&](const SnapshotMeta& other, UnixSeconds change_at) {
        if (!now)
            now = in_force ? sources_in(*in_force, q, ip) : std::vector<std::string>{};
        auto there = sources_in(other, q, ip);
        if (there != *now)
            add_warning(a, nearby_change_warning("IPv6 ", change_at, t, other.path, q.port, there, *now));
    };
    if (in_force && t - in_force->valid_from <= k_change_window)
        if (auto prev = m_timeline.in_force(node, in_force->valid_from - 1))
            compare(*prev, in_force->valid_from);
    if (successor && successor->valid_from - t <= k_change_window)
        compare(*successor, successor->valid_from);
}

void answer_ipv6_nat(Nat6Tracer& nat6, Query& q, Answer& a)
{
    if (nat6.indexed())
        nat6.lookup(q, a);
    else
        q.client = true;
}

void note_ipv6_nat_unindexed(Nat6Tracer& nat6, const Query& q, Answer& a)
{
    if (a.status == Status::none && is_ipv6_text(q.address) && !is_ipv6_local(q.address) && !nat6.indexed())
        add_warning(a, fmt::format("the index holds no IPv6 NAT rules (rules.v6 files, ip6 and inet nft tables): if "
                                   "{} is an address the VPN NATs IPv6 clients to, index those snapshots",
                                   q.address));
}

} // namespace natfw
