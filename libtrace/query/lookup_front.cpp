#include "query/lookup_front.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace natfw {

void select_nodes(History& history, const std::string& only, std::vector<const NodeRef*>& out)
{
    out.clear();
    const auto& all = history.nodes();
    for (const auto& n : all)
        if (only.empty() || n.name == only)
            out.push_back(&n);
    if (!only.empty() && out.empty()) {
        std::vector<std::string> names;
        for (const auto& n : all)
            names.push_back(n.name);
        throw UsageError(fmt::format("unknown node \"{}\"; the index has: {}", only,
                                     names.empty() ? "no nodes" : fmt::format("{}", fmt::join(names, ", "))));
    }
}

void EvidenceWarnings::add_to(Answer& a)
{
    if (!m_check)
        return;
    for (const auto& c : a.candidates) {
        auto [it, inserted] = m_seen.try_emplace(c.snapshot->id, nullptr);
        if (inserted)
            it->second = &m_check->warning(*c.snapshot);
        if (!it->second->empty())
            add_warning(a, *it->second);
    }
}

namespace {

constexpr int k_both_protocols[] = {k_proto_tcp, k_proto_udp};

std::string addresses_text(const std::vector<std::string>& s)
{
    return s.empty() ? std::string("no address") : fmt::format("{}", fmt::join(s, " "));
}

} // namespace

std::span<const int> query_protocols(const Query& q)
{
    if (q.proto == "tcp")
        return std::span(k_both_protocols, 1);
    if (q.proto == "udp")
        return std::span(k_both_protocols + 1, 1);
    return k_both_protocols;
}

const char* proto_name(int proto) { return proto == k_proto_tcp ? "tcp" : "udp"; }

std::string unusable_warning(const UnusableRef& u, std::string_view answered_from)
{
    return fmt::format("{} (dated {}) is unusable: line {}: {}; it was never in force, so the answer comes from {}",
                       u.path, format_iso_utc(u.valid_from), u.line, u.reason, answered_from);
}

std::string doubt_warning(const SnapshotMeta& doubtful, const std::vector<std::string>& considered,
                          std::string_view family)
{
    if (considered.empty())
        return fmt::format("{} may never have been in force ({}); no usable {}snapshot before it could have been in "
                           "force instead, so the answer rests on it alone",
                           doubtful.path, doubtful.doubt, family);
    return fmt::format("{} may never have been in force ({}); the answer also considers the {}rulesets that could "
                       "have stayed in force: {}",
                       doubtful.path, doubtful.doubt, family, fmt::join(considered, ", "));
}

std::string reach_warning(std::string_view path, int line, std::string_view internal, std::string_view excluded,
                          std::span<const int> taken_by)
{
    return fmt::format("{}:{}: only {}{} reaches this rule; earlier rules ({} {}) take the rest of its source first",
                       path, line, internal, excluded.empty() ? std::string() : fmt::format(" except {}", excluded),
                       taken_by.size() == 1 ? "line" : "lines", fmt::join(taken_by, ", "));
}

std::string nearby_change_warning(std::string_view family, UnixSeconds change_at, UnixSeconds instant,
                                  std::string_view path, std::uint16_t port, const std::vector<std::string>& there,
                                  const std::vector<std::string>& now)
{
    UnixSeconds distance = change_at > instant ? change_at - instant : instant - change_at;
    return fmt::format("the {}ruleset changed at {} ({} s {} the instant): {} gives port {} to {} (at the instant: "
                       "{}); check the complaint's clock",
                       family, format_iso_utc(change_at), distance, change_at > instant ? "after" : "before", path,
                       port, addresses_text(there), addresses_text(now));
}

std::string none_reason(std::string_view what, const Query& q, const std::vector<std::string>& details)
{
    return fmt::format("{} {} {} port {} {}: {}", what, query_address(q), q.proto.empty() ? "tcp/udp" : q.proto,
                       q.port,
                       q.has_window() ? fmt::format("from {} to {}", format_iso_utc(q.instants.front() - q.window_before),
                                                    format_iso_utc(q.instants.back() + q.window_after))
                                      : fmt::format("at {}", format_iso_utc(q.instants.front())),
                       fmt::join(details, "; "));
}

} // namespace natfw
