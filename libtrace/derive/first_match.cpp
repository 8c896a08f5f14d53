#include "derive/first_match.hpp"


#include <algorithm>
#include <map>
#include <set>
#include <string>

namespace natfw {

namespace {

// Steps of the walk (rules looked at, set comparisons) before it gives up
// on order; real rulesets, even with a chain per client, need a few per rule.
constexpr std::size_t k_min_budget = 2'000'000;
constexpr std::size_t k_budget_per_rule = 64;
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

/// Thrown when a ruleset's jumps are too intricate to follow within the budget.
struct OverBudget {};

/// Each chain's rules, in order.
using Chains = std::map<std::string, std::vector<const Rule*>, std::less<>>;

Chains chains_of(const std::vector<Rule>& rules)
{
    Chains out;
    for (const auto& r : rules)
        out[r.chain].push_back(&r);
    return out;
}

class Walker {
public:
    Walker(const Chains& chains, int proto, ReachMap& out, std::size_t budget)
        : m_chains(chains), m_proto(proto), m_out(out), m_budget(budget)
    {
    }

    void run()
    {
        enter("POSTROUTING", Ipv4Set({0, 0xFFFFFFFFu}), {}, nullptr);
        while (!m_stack.empty())
            step();
    }

private:
    /// One call of a chain. An explicit stack instead of recursion: the
    /// legacy backend accepts chains nested 100,000 deep.
    struct Frame {
        const std::string* chain; ///< a key of m_chains
        const std::vector<const Rule*>* rules;
        std::size_t next = 0;
        Ipv4Set context;
        Conditions conditions;
        Taken local; ///< RETURN and goto: out of this call only
        const Rule* via; ///< the jump or goto that entered it; null for POSTROUTING itself
    };

    /// A chain once walked with a context and conditions has done all it can
    /// for a smaller context under more conditions: what earlier rules take
    /// only grows, so each later rule reaches no more than it did then, and
    /// what it takes is already taken. Skipping such calls keeps the walk
    /// polynomial where chains jump twice into the next one.
    struct Visit {
        Ipv4Set context;
        Conditions conditions;
    };

    bool enter(const std::string& chain, Ipv4Set context, Conditions conditions, const Rule* via)
    {
        auto found = m_chains.find(chain);
        if (found == m_chains.end())
            return false;
        auto& visits = m_visits[chain];
        for (const auto& v : visits) {
            charge(1);
            if (is_subset(v.conditions, conditions) && context.minus(v.context).empty())
                return false;
        }
        if (!m_open.insert(chain).second)
            return false; // a loop: the ruleset is unusable and never walked, but never hang on one
        visits.push_back({context, conditions});
        m_stack.push_back(Frame{&found->first, &found->second, 0, std::move(context), std::move(conditions), {}, via});
        return true;
    }

    void leave()
    {
        Frame done = std::move(m_stack.back());
        m_stack.pop_back();
        m_open.erase(*done.chain);
        if (done.via && done.via->goto_chain && !m_stack.empty())
            m_stack.back().local.take(done.conditions, done.context, done.via->line); // never comes back
    }

    void charge(std::size_t n)
    {
        m_spent += n;
        if (m_spent > m_budget)
            throw OverBudget{};
    }

    void step()
    {
        Frame& f = m_stack.back();
        if (f.next == f.rules->size())
            return leave();
        const Rule* r = (*f.rules)[f.next++];
        charge(1 + f.local.entries.size() + m_global.entries.size());
        if (!applies_to_protocol(*r, m_proto))
            return;
        Ipv4Set matched = source_set(r->source).intersect(f.context);
        if (matched.empty())
            return;
        Conditions conditions = f.conditions;
        conditions.insert(conditions.end(), r->conditions.begin(), r->conditions.end());
        std::sort(conditions.begin(), conditions.end());
        conditions.erase(std::unique(conditions.begin(), conditions.end()), conditions.end());
        Ipv4Set reaching = f.local.remove_from(m_global.remove_from(matched, conditions), conditions);

        if (is_source_nat(*r)) {
            RuleReach& rr = m_out[{r->position, m_proto}];
            if (rr.written.empty())
                rr.written = source_set(r->source);
            rr.source.add(matched);
            rr.reach.add(reaching);
            if (reaching != matched && rr.taken_by.size() < k_max_taken_by) {
                m_global.lines_taking(matched, conditions, rr.taken_by);
                f.local.lines_taking(matched, conditions, rr.taken_by);
            }
        }
        if (reaching.empty())
            return;
        if (terminal_everywhere(r->target) || (!f.via && r->target == "RETURN")) {
            m_global.take(conditions, reaching, r->line);
        } else if (r->target == "RETURN") {
            f.local.take(conditions, reaching, r->line);

        } else if (m_chains.count(r->target)) {
            // `f` may move when the stack grows: nothing below touches it.
            Ipv4Set context = reaching;
            Conditions kept = conditions;
            if (!enter(r->target, std::move(reaching), std::move(conditions), r) && r->goto_chain)
                m_stack.back().local.take(kept, context, r->line);
        } else if (r->goto_chain) {
            f.local.take(conditions, reaching, r->line); // a goto into a chain without rules still never comes back
        } else if (r->target == k_nft_accept) {
            // After the chain test: an iptables user chain may be called "accept"; an nft chain may not.
            // Out of every call down to the base chain (the frame above the top one), not of later base chains.
            for (std::size_t k = std::min<std::size_t>(1, m_stack.size() - 1); k < m_stack.size(); ++k)
                m_stack[k].local.take(conditions, reaching, r->line);
        }
        // Anything else (LOG, MARK, an unknown target) lets the packet go on.
    }

    const Chains& m_chains;
    int m_proto;
    ReachMap& m_out;
    std::size_t m_budget;
    std::size_t m_spent = 0;
    std::map<std::string, std::vector<Visit>> m_visits;
    std::set<std::string> m_open; ///< chains on the stack
    std::vector<Frame> m_stack;
    Taken m_global;
};

/// When the walk is over budget: every source-NAT rule in a chain reachable
/// from POSTROUTING counts with its whole source. More candidates than the
/// kernel would use, never fewer.
void approximate(const Chains& chains, ReachMap& out)
{
    std::set<std::string> reached{"POSTROUTING"};
    std::vector<std::string> pending{"POSTROUTING"};
    while (!pending.empty()) {
        auto found = chains.find(pending.back());
        pending.pop_back();
        if (found == chains.end())
            continue;
        for (const Rule* r : found->second) {
            if (chains.count(r->target) && reached.insert(r->target).second)
                pending.push_back(r->target);
            if (!is_source_nat(*r))
                continue;
            for (int proto : {k_proto_tcp, k_proto_udp})
                if (applies_to_protocol(*r, proto)) {
                    RuleReach& rr = out[{r->position, proto}];
                    rr.source = source_set(r->source);
                    rr.reach = rr.source;
                    rr.written = rr.source;
                }
        }
    }
}

} // namespace

Ipv4Set source_set(const SourceMatch& source)
{
    return source.negated ? Ipv4Set::complement_of(source.range) : Ipv4Set(source.range);
}

ReachMap evaluate_first_match(const std::vector<Rule>& rules, bool* approximated)
{
    ReachMap out;
    const Chains chains = chains_of(rules);
    const std::size_t budget = std::max<std::size_t>(k_min_budget, k_budget_per_rule * rules.size());
    try {
        for (int proto : {k_proto_tcp, k_proto_udp})
            Walker(chains, proto, out, budget).run();
        if (approximated)
            *approximated = false;
    } catch (const OverBudget&) {
        out.clear();
        approximate(chains, out);
        if (approximated)
            *approximated = true;
    }
    return out;
}

} // namespace natfw
