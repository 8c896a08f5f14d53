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
