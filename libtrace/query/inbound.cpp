#include "query/inbound.hpp"

#include "query/tracer.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

namespace natfw {

namespace {

/// A --dport / --dports value: `P`, `P:Q` or `P-Q`, port 0 included as iptables allows.
std::optional<PortRange> dport_range(std::string_view s)
{
    std::string why;
    return parse_port_range(s, why, "-:", 0);
}

/// The values of an nft condition: `X`, `{ X, Y }`; nullopt for a named set (`@name`).
std::optional<std::vector<std::string_view>> nft_values(std::string_view text)
{
    std::vector<std::string_view> out;
    if (text.starts_with('@'))
        return std::nullopt;
    if (text.starts_with("{ ") && text.ends_with(" }")) {
        text = text.substr(2, text.size() - 4);
        std::size_t pos = 0;
        while (pos <= text.size()) {
            auto end = text.find(", ", pos);
            out.push_back(text.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
            pos = end == std::string_view::npos ? text.size() + 1 : end + 2;
        }
        return out;
    }
    out.push_back(text);
    return out;
}

/// `ip daddr [!=] VALUE` and `tcp|udp|th dport [!=] VALUE` as parse/nft_rule
/// writes them; false when `c` is not one of them or a value does not read.
bool nft_condition(std::string_view c, Ipv4 ip, std::uint16_t port, DnatMatch& m)
{
    bool address = c.starts_with("ip daddr ");
    bool ports = c.starts_with("tcp dport ") || c.starts_with("udp dport ") || c.starts_with("th dport ");
    if (!address && !ports)
        return false;
    c.remove_prefix(address ? 9 : c.find("dport ") + 6);
    bool negated = c.starts_with("!= ");
    if (negated)
        c.remove_prefix(3);
    auto values = nft_values(c);
    if (!values)
        return false;
    bool in = false;
    std::optional<PortRange> named;
    for (auto v : *values) {
        if (address) {
            auto net = parse_ipv4_network(v);
            if (!net)
                net = parse_ipv4_dash_range(v);
            if (!net)
                return false;
            in = in || net->contains(ip);
        } else {
            auto r = dport_range(v);
            if (!r)
                return false;
            if (r->lo <= port && port <= r->hi && !in) {
                in = true;
                named = r;
            }
        }
    }
    if (address) {
        m.destination = m.destination && (in != negated);
    } else {
        m.port = m.port && (in != negated);
        if (!negated && named)
            m.dports = named;
    }
    return true;
}

} // namespace

DnatMatch match_dnat(const std::vector<std::string>& conditions, Ipv4 ip, std::uint16_t port)
{
    DnatMatch m;
    for (const auto& c : conditions) {
        std::string_view text = c;
        bool negated = text.starts_with("! ");
        if (negated)
            text.remove_prefix(2);
        auto space = text.find(' ');
        std::string_view name = text.substr(0, space);
        std::string_view value = space == std::string_view::npos ? std::string_view{} : text.substr(space + 1);
        if (name == "-d" || name == "--destination" || name == "--dst") {
            if (auto net = parse_ipv4_network(value)) {
                m.destination = m.destination && (net->contains(ip) != negated);
                continue;
            }
        } else if (name == "--dport" || name == "--destination-port") {
            if (auto r = dport_range(value)) {
                bool in = r->lo <= port && port <= r->hi;
                m.port = m.port && (in != negated);
                if (!negated)
                    m.dports = r;
                continue;
            }
        } else if (name == "--dports" || name == "--destination-ports") {
            bool in = false, ok = true;
            std::size_t pos = 0;
            while (pos <= value.size() && ok) {
                auto end = value.find(',', pos);
                auto r = dport_range(value.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos));
                ok = r.has_value();
                if (r && r->lo <= port && port <= r->hi) {
                    in = true;
                    m.dports = r;
                }
                pos = end == std::string_view::npos ? value.size() + 1 : end + 1;
            }
            if (ok) {
                m.port = m.port && (in != negated);
                continue;
            }
        } else if (name == "-m" && (value == "tcp" || value == "udp" || value == "multiport")) {
            continue; // the match modules whose options are read above
        } else if (c == k_nft_not_inbound) {
            m.destination = false;
            continue;
        } else if (nft_condition(c, ip, port, m)) {
            continue;
        }
        m.may_match.push_back(c);
    }
    return m;
}

InboundTracer::InboundTracer(History& history, EvidenceCheck* evidence) : m_history(history), m_evidence(evidence) {}

Answer InboundTracer::lookup(const Query& q)
{
    Answer a;
    std::vector<std::string> none_details;
    select_nodes(m_history, q.node, m_nodes);
    for (const NodeRef* n : m_nodes) {
        const NodeRef& node = *n;
        for (UnixSeconds t : q.instants) {
            SnapshotPtr s = m_history.usable_at(node, t);
            if (!s) {
                none_details.push_back(fmt::format("node {}: no usable snapshot at or before that time", node.name));
                continue;
            }
            std::size_t before = a.candidates.size();
            answer_snapshot(q, t, s, m_history.usable_after(node, s->valid_from), a);
            if (a.candidates.size() == before)
                none_details.push_back(fmt::format("{} forwards no {} port {} of {}", s->path,
                                                   q.proto.empty() ? "tcp/udp" : q.proto, q.port, format_ipv4(q.ip)));
        }
    }
    if (m_nodes.empty())
        none_details.push_back("the index holds no snapshots");
    settle_status(a, q);
    if (a.status == Status::ambiguous && !a.candidates.empty() &&
        std::all_of(a.candidates.begin(), a.candidates.end(),
                    [&](const Candidate& c) { return c.internal == a.candidates.front().internal; }))
        a.reason = fmt::format("the DNAT rule forwards to more than one host: {}", a.candidates.front().internal);
    m_evidence.add_to(a);
    if (a.status == Status::none)
        a.reason = none_reason("no DNAT rule forwards", q, none_details);
    return a;
}

void InboundTracer::answer_snapshot(const Query& q, UnixSeconds t, SnapshotPtr s, SnapshotPtr successor, Answer& a)
{
    m_rules.clear();
    m_history.dnat_rules(s->ruleset_id, m_rules);
    // The first rule that certainly matches a protocol ends the search for it.
    bool decided_tcp = q.proto == "udp", decided_udp = q.proto == "tcp";
    // Chains that a verdict certainly matching the connection ended, per protocol:
    // their later forwards are never reached.
    std::vector<std::string> ended_tcp, ended_udp;
    auto ended = [&](int proto) -> std::vector<std::string>& { return proto == k_proto_tcp ? ended_tcp : ended_udp; };
    for (const Rule& r : m_rules) {
        if (decided_tcp && decided_udp)
            break;
        if (r.chain == "OUTPUT" || r.chain == "POSTROUTING" || r.chain == "INPUT")
            continue; // not traffic arriving from outside
        DnatMatch m = match_dnat(r.conditions, q.ip, q.port);
        if (!m.destination || !m.port)
            continue;
        if (r.target != "DNAT") {
            if (m.may_match.empty() && r.source == SourceMatch{})
                for (int proto : {k_proto_tcp, k_proto_udp})
                    if (applies_to_protocol(r, proto))
                        ended(proto).push_back(r.chain);
            continue;
        }
        if (r.source != SourceMatch{})
            m.may_match.push_back(fmt::format("{}-s {}", r.source.negated ? "! " : "",
                                              format_ipv4_range(r.source.range)));
        for (int proto : {k_proto_tcp, k_proto_udp}) {
            bool& decided = proto == k_proto_tcp ? decided_tcp : decided_udp;
            const auto& done = ended(proto);
            if (decided || !applies_to_protocol(r, proto) || std::find(done.begin(), done.end(), r.chain) != done.end())
                continue;
            Candidate& c = a.candidates.emplace_back();
            Ipv4Range to = r.to_addresses.value_or(Ipv4Range{0, 0});
            std::string port_text;
            if (!r.to_ports)
                port_text = std::to_string(q.port); // DNAT without a port keeps it
            else if (r.to_ports->lo == r.to_ports->hi)
                port_text = std::to_string(r.to_ports->lo);
            else
                port_text = fmt::format("{}-{}", r.to_ports->lo, r.to_ports->hi);
            c.internal = fmt::format("{}:{}", format_ipv4_range(to), port_text);
            c.single_host = to.single();
            c.snapshot = s;
            if (successor)
                c.valid_to = successor->valid_from;
            c.line = r.line;
            c.rule = r.text;
            c.proto = proto == k_proto_tcp ? "tcp" : "udp";
            c.ports = m.dports.value_or(PortRange{1, 65535});
            c.conditions = m.may_match;
            c.instant = t;
            if (m.may_match.empty())
                decided = true; // later rules never see this destination port
        }
    }
}

} // namespace natfw
