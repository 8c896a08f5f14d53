#include "derive/ruleset_checks.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

namespace natfw {

namespace {

constexpr std::size_t k_max_per_kind = 10;

/// Keeps the first few findings of a kind and counts the rest.
class Limited {
public:
    Limited(std::vector<Diagnostic>& out, const char* what) : m_out(out), m_what(what) {}
    Limited(const Limited&) = delete;
    Limited& operator=(const Limited&) = delete;
    ~Limited()
    {
        if (m_count > k_max_per_kind)
            m_out.push_back(
                {0, fmt::format("{} more {} not listed", m_count - k_max_per_kind, m_what), DiagnosticKind::check});
    }
    void add(int line, std::string message)
    {
        if (++m_count <= k_max_per_kind)
            m_out.push_back({line, std::move(message), DiagnosticKind::check});
    }

private:
    std::vector<Diagnostic>& m_out;
    const char* m_what;
    std::size_t m_count = 0;
};

/// `Reach`: ReachMap or ReachMap6, whose entries both have `reach` and `taken_by`.
template <class Reach>
void check_never_applies(const std::vector<Rule>& rules, const Reach& reach, std::vector<Diagnostic>& out)
{
    Limited found(out, "rules that never apply");
    for (const auto& r : rules) {
        if (!is_source_nat(r))
            continue;
        bool applies = false, reached = false, any_reach = false;
        std::vector<int> taken_by;
        for (int proto : {k_proto_tcp, k_proto_udp}) {
            if (!applies_to_protocol(r, proto))
                continue;
            applies = true;
            auto it = reach.find({r.position, proto});
            if (it == reach.end())
                continue;
            reached = true;
            any_reach = any_reach || !it->second.reach.empty();
            for (int line : it->second.taken_by)
                if (std::find(taken_by.begin(), taken_by.end(), line) == taken_by.end())
                    taken_by.push_back(line);
        }
        if (!applies || any_reach)
            continue; // ICMP and the like have no ports to look up
        if (!reached)
            found.add(r.line, fmt::format("{} never applies: nothing in POSTROUTING leads to chain {}", r.target,
                                          r.chain));
        else
            found.add(r.line, fmt::format("{} never applies: earlier rules (line {}) take every source it names",
                                          r.target, fmt::join(taken_by, ", ")));
    }
}

void check_overlaps(const std::vector<Rule>& rules, const std::vector<NatCell>& cells, std::vector<Diagnostic>& out)
{
    std::vector<const Rule*> by_position(position_count(rules), nullptr);
    for (const auto& r : rules)
        by_position[static_cast<std::size_t>(r.position)] = &r;
    auto rule_at = [&](int position) -> const Rule& {
        const Rule* r = by_position.at(static_cast<std::size_t>(position));
        if (!r)
            throw std::out_of_range("a cell names a rule position the ruleset does not have");
        return *r;
    };
    Limited found(out, "overlapping port blocks");
    std::set<std::pair<int, int>> reported;
    // Cells of one (proto, address column, port range) are adjacent.
    for (std::size_t i = 0; i < cells.size();) {
        std::size_t j = i + 1;
        while (j < cells.size() && cells[j].proto == cells[i].proto && cells[j].pub_lo == cells[i].pub_lo &&
               cells[j].port_lo == cells[i].port_lo)
            ++j;
        for (std::size_t a = i; a < j; ++a)
            for (std::size_t b = a + 1; b < j; ++b) {
                const Rule& ra = rule_at(cells[a].position);
                const Rule& rb = rule_at(cells[b].position);
                if (cells[a].masquerade || cells[b].masquerade || cells[a].never || cells[b].never ||
                    ra.source == rb.source ||
                    !reported.insert({ra.position, rb.position}).second)
                    continue;
                found.add(rb.line, fmt::format("lines {} and {} both give {} {} port {}-{} to different sources "
                                               "({}, {}): such an answer can only be ambiguous",
                                               ra.line, rb.line, format_ipv4_range({cells[a].pub_lo, cells[a].pub_hi}),
                                               cells[a].proto == k_proto_tcp ? "tcp" : "udp", cells[a].port_lo,
                                               cells[a].port_hi, ra.source.describe(), rb.source.describe()));
            }
        i = j;
    }
}

template <class Reach>
void check_ephemeral(const std::vector<Rule>& rules, const Reach& reach, std::vector<Diagnostic>& out)
{
    std::size_t blocks = 0;
    int first_line = 0, last_line = 0;
    for (const auto& r : rules) {
        if (!is_source_nat(r) || !r.to_ports || r.to_ports->hi < k_default_ephemeral.lo ||
            r.to_ports->lo > k_default_ephemeral.hi)
            continue;
        bool reachable = false;
        for (int proto : {k_proto_tcp, k_proto_udp})
            if (auto it = reach.find({r.position, proto}); it != reach.end() && !it->second.reach.empty())
                reachable = true;
        if (!reachable)
            continue;
        if (!blocks++)
            first_line = r.line;
        last_line = r.line;
    }
    if (blocks)
        out.push_back({0,
                       fmt::format("{} port block(s) (lines {} to {}) lie in {}-{}, Linux's default ephemeral range: "
                                   "the NAT host's own connections may use those public ports too",
                                   blocks, first_line, last_line, k_default_ephemeral.lo, k_default_ephemeral.hi),
                       DiagnosticKind::check});
}

} // namespace

std::vector<Diagnostic> check_ruleset(const std::vector<Rule>& rules, const ReachMap& reach,
                                      const std::vector<NatCell>& cells)
{
    std::vector<Diagnostic> out;
    check_never_applies(rules, reach, out);
    check_overlaps(rules, cells, out);
    check_ephemeral(rules, reach, out);
    return out;
}

std::vector<Diagnostic> check_ruleset6(const std::vector<Rule>& rules, const ReachMap6& reach)
{
    std::vector<Diagnostic> out;
    check_never_applies(rules, reach, out);
    check_ephemeral(rules, reach, out);
    return out;
}

} // namespace natfw
