#include "derive/first_match.hpp"


#include <algorithm>
#include <set>
#include <string>

namespace natfw {

namespace {

constexpr int k_max_depth = 64; // iptables-restore refuses loops; this only guards a bad index
constexpr std::size_t k_max_taken_by = 4;

using Conditions = std::vector<std::string>; // sorted, unique

bool is_subset(const Conditions& small, const Conditions& big)
{
    return std::includes(big.begin(), big.end(), small.begin(), small.end());
}

/// Sources taken for certain, grouped by the conditions under which they are.
struct Taken {
    struct Entry {
        Conditions conditions;
        Ipv4Set sources;
        std::vector<std::pair<int, Ipv4Set>> by_line; ///< who took what (kept small)
    };
    std::vector<Entry> entries;

    void take(const Conditions& c, const Ipv4Set& s, int line)
    {
        auto it = std::find_if(entries.begin(), entries.end(), [&](const Entry& e) { return e.conditions == c; });
        if (it == entries.end())
            it = entries.insert(entries.end(), Entry{c, {}, {}});
        it->sources.add(s);
        it->by_line.emplace_back(line, s);
    }

    /// `s` without what is taken whenever conditions `c` hold.
    Ipv4Set remove_from(Ipv4Set s, const Conditions& c) const
    {
        for (const auto& e : entries)
            if (!s.empty() && is_subset(e.conditions, c))
                s = s.minus(e.sources);
        return s;
    }

    void lines_taking(const Ipv4Set& s, const Conditions& c, std::vector<int>& out) const
    {
        for (const auto& e : entries) {
            if (!is_subset(e.conditions, c) || !e.sources.intersects(s))
                continue;
            for (const auto& [line, taken] : e.by_line) {
                if (out.size() >= k_max_taken_by)
                    return;
                if (taken.intersects(s) && std::find(out.begin(), out.end(), line) == out.end())
                    out.push_back(line);
            }
        }
    }
};

bool terminal_everywhere(const std::string& target)
{
    return target == "SNAT" || target == "MASQUERADE" || target == "ACCEPT" || target == "DROP" ||
           target == "REJECT" || target == "NETMAP";
}

class Walker {
public:
    Walker(const std::vector<Rule>& rules, int proto, ReachMap& out) : m_proto(proto), m_out(out)
    {
        for (const auto& r : rules)
            m_chains[r.chain].push_back(&r);
    }

    void run() { walk("POSTROUTING", Ipv4Set({0, 0xFFFFFFFFu}), {}, 0); }

private:
    void walk(const std::string& chain, const Ipv4Set& context, const Conditions& context_conditions, int depth)
    {
        auto found = m_chains.find(chain);
        if (found == m_chains.end() || depth > k_max_depth)
            return;
        const bool builtin = chain == "POSTROUTING";
        Taken local; // RETURN and goto: out of this chain (this call) only
        for (const Rule* r : found->second) {
            if (!applies_to_protocol(*r, m_proto))
                continue;
            Ipv4Set matched = source_set(r->source).intersect(context);
            if (matched.empty())
                continue;
            Conditions conditions = context_conditions;
            conditions.insert(conditions.end(), r->conditions.begin(), r->conditions.end());
            std::sort(conditions.begin(), conditions.end());
            conditions.erase(std::unique(conditions.begin(), conditions.end()), conditions.end());
            Ipv4Set reaching = local.remove_from(m_global.remove_from(matched, conditions), conditions);

            if (is_source_nat(*r)) {
                RuleReach& rr = m_out[{r->position, m_proto}];
                rr.source.add(matched);
                rr.reach.add(reaching);
                if (reaching != matched && rr.taken_by.size() < k_max_taken_by) {
                    m_global.lines_taking(matched, conditions, rr.taken_by);
                    local.lines_taking(matched, conditions, rr.taken_by);
                }
            }
            if (reaching.empty())
                continue;
            if (terminal_everywhere(r->target) || (builtin && r->target == "RETURN")) {
                m_global.take(conditions, reaching, r->line);
            } else if (r->target == "RETURN") {
                local.take(conditions, reaching, r->line);
            } else if (m_chains.count(r->target)) {
                walk(r->target, reaching, conditions, depth + 1);
                if (r->goto_chain)
                    local.take(conditions, reaching, r->line); // never comes back to this chain
            }
            // Anything else (LOG, MARK, an unknown target) lets the packet go on.
        }
    }

    int m_proto;
    ReachMap& m_out;
    std::map<std::string, std::vector<const Rule*>> m_chains;
    Taken m_global;
};

} // namespace

Ipv4Set source_set(const SourceMatch& source)
{
    return source.negated ? Ipv4Set::complement_of(source.range) : Ipv4Set(source.range);
}

ReachMap evaluate_first_match(const std::vector<Rule>& rules)
{
    ReachMap out;
    for (int proto : {k_proto_tcp, k_proto_udp})
        Walker(rules, proto, out).run();
    return out;
}

} // namespace natfw
