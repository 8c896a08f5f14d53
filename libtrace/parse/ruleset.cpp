#include "parse/ruleset.hpp"

#include <algorithm>

namespace natfw {

std::string SourceMatch::describe() const
{
    return (negated ? "!" : "") + format_ipv4_range(range);
}

std::string describe_source(const Rule& rule, Family family)
{
    if (family == Family::ipv4)
        return rule.source.describe();
    return (rule.source.negated ? "!" : "") + format_ipv6_range(rule.source6);
}

std::string_view diagnostic_kind_name(DiagnosticKind kind)
{
    return kind == DiagnosticKind::check ? "check" : "warning";
}

bool is_nat_builtin_chain(std::string_view chain)
{
    return chain == "PREROUTING" || chain == "INPUT" || chain == "OUTPUT" || chain == "POSTROUTING";
}

bool is_source_nat(const Rule& rule)
{
    if (rule.target != "SNAT" && rule.target != "MASQUERADE")
        return false;
    return rule.chain != "PREROUTING" && rule.chain != "INPUT" && rule.chain != "OUTPUT";
}

std::size_t position_count(const std::vector<Rule>& rules)
{
    int count = 0;
    for (const auto& r : rules)
        count = std::max(count, r.position + 1);
    return static_cast<std::size_t>(count);
}

bool applies_to_protocol(const Rule& rule, int proto)
{
    if (rule.proto.empty())
        return true;
    bool same = (rule.proto == "tcp" && proto == k_proto_tcp) || (rule.proto == "udp" && proto == k_proto_udp);
    return rule.proto_negated ? !same : same;
}

} // namespace natfw
