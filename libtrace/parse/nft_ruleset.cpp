#include "parse/nft_ruleset.hpp"

#include "parse/nft_rule.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

namespace natfw {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 4> k_hooks{
    {{"prerouting", "PREROUTING"}, {"input", "INPUT"}, {"output", "OUTPUT"}, {"postrouting", "POSTROUTING"}}};

/// Whether the packets of `family` meet the table's chains.
bool carries(const NftTable& t, Family family)
{
    return t.family == "inet" || t.family == (family == Family::ipv4 ? "ip" : "ip6");
}

std::string qualified(const NftTable& t, std::string_view chain) { return fmt::format("{} {} {}", t.family, t.name, chain); }

struct BaseChain {
    const NftTable* table;
    const NftChain* chain;
};

/// DNAT and REDIRECT rules in chains no prerouting chain reaches (output's)
/// never see a packet from outside: they get k_nft_not_inbound.
void mark_not_inbound(std::vector<Rule>& rules)
{
    std::set<std::string> reached{"PREROUTING"};
    for (bool grew = true; grew;) {
        grew = false;
        for (const auto& r : rules)
            if (reached.count(r.chain) && !r.target.empty() && r.target.find(' ') != std::string::npos)
                grew = reached.insert(r.target).second || grew; // targets with spaces are qualified chains
    }
    for (auto& r : rules)
        if ((r.target == "DNAT" || r.target == "REDIRECT") && !reached.count(r.chain))
            r.conditions.push_back(std::string(k_nft_not_inbound));
}

} // namespace

ParsedRuleset nft_nat(const NftDocument& doc, Family family)
{
    ParsedRuleset out;
    out.family = family;
    out.backend = "nftables";
    out.warnings = doc.warnings;
    if (doc.unusable) {
        out.unusable = doc.unusable;
        return out;
    }
    int position = 0;
    // The hook chains' calls first, so that each hook chain exists even when it calls nothing.
    for (auto [hook, name] : k_hooks) {
        std::vector<BaseChain> base;
        for (const auto& t : doc.tables)
            if (carries(t, family))
                for (const auto& c : t.chains)
                    if (c.type == "nat" && c.hook == hook)
                        base.push_back({&t, &c});
        // Priority order; equal priorities keep the file's order, which is
        // what a load in one transaction does, but is not proof of it.
        std::stable_sort(base.begin(), base.end(),
                         [](const BaseChain& a, const BaseChain& b) { return *a.chain->priority < *b.chain->priority; });
        // Chains of one priority are each called on a condition of their own:
        // what one maps is then never certain for the other, whose rules stay
        // candidates (ambiguous where both could map).
        std::vector<std::string> unknown_order(base.size());
        for (std::size_t i = 0; i + 1 < base.size(); ++i)
            if (*base[i].chain->priority == *base[i + 1].chain->priority) {
                auto first = qualified(*base[i].table, base[i].chain->name);
                auto second = qualified(*base[i + 1].table, base[i + 1].chain->name);
                out.warnings.push_back(
                    {base[i + 1].chain->line,
                     fmt::format("nat chains {} and {} at {} have the same priority {}: the order they run in is "
                                 "the order they were loaded in, which the file does not prove; where both could "
                                 "map a connection the answer names both",
                                 first, second, hook, *base[i].chain->priority)});
                // One condition per chain: the takes of one never cover the other's rules.
                for (auto j : {i, i + 1})
                    if (unknown_order[j].empty())
                        unknown_order[j] = fmt::format("{} runs in an unknown order among the nat chains of "
                                                       "priority {} at {}",
                                                       qualified(*base[j].table, base[j].chain->name),
                                                       *base[i].chain->priority, hook);
            }
        for (std::size_t i = 0; i < base.size(); ++i) {
            const auto& b = base[i];
            out.has_nat_table = true;
            Rule call;
            if (!unknown_order[i].empty())
                call.conditions.push_back(unknown_order[i]);
            call.position = position++;
            call.line = b.chain->line;
            call.chain = std::string(name);
            call.target = qualified(*b.table, b.chain->name);
            call.text = fmt::format("table {} {} chain {}: type nat hook {} priority {}", b.table->family,
                                    b.table->name, b.chain->name, hook, b.chain->priority_text);
            out.nat_rules.push_back(std::move(call));
        }
    }
    for (const auto& t : doc.tables) {
        if (!carries(t, family))
            continue;
        for (const auto& c : t.chains) {
            // Chains of other types (filter) never map; their rules are not NAT evidence.
            if (c.is_base() && c.type != "nat")
                continue;
            for (const auto& nft_rule : c.rules) {
                auto reading = read_nft_rule(nft_rule, t, c.name, family);
                for (auto& w : reading.warnings)
                    out.warnings.push_back({nft_rule.line, std::move(w)});
                if (reading.fault) {
                    out.unusable = Diagnostic{nft_rule.line, *reading.fault};
                    return out;
                }
                if (reading.other_family)
                    continue; // never sees a packet of this family
                for (auto& r : reading.rules) {
                    bool jumps = !r.target.empty() && r.target != "SNAT" && r.target != "MASQUERADE" &&
                                 r.target != "DNAT" && r.target != "REDIRECT" && r.target != "DROP" &&
                                 r.target != "RETURN" && r.target != k_nft_accept;
                    if (jumps) {
                        if (!t.chain(r.target)) {
                            out.unusable = Diagnostic{nft_rule.line, fmt::format("chain {} does not exist in table {} {}",
                                                                                 r.target, t.family, t.name)};
                            return out;
                        }
                        r.target = qualified(t, r.target);
                    }
                    r.chain = qualified(t, c.name);
                    r.position = position++;
                    out.nat_rules.push_back(std::move(r));
                }
            }
        }
    }
    mark_not_inbound(out.nat_rules);
    if (family == Family::ipv6) {
        // The whole ruleset is the evidence: an ip6 or inet table without NAT says there was none.
        out.has_nat_table = std::any_of(doc.tables.begin(), doc.tables.end(),
                                        [](const NftTable& t) { return carries(t, Family::ipv6); });
        return out;
    }
    if (!out.has_nat_table)
        for (const auto& t : doc.tables)
            if (t.family == "ip6")
                for (const auto& c : t.chains)
                    out.ipv6_only = out.ipv6_only || c.type == "nat";
    return out;
}

} // namespace natfw
