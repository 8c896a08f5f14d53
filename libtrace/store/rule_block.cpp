#include "store/rule_block.hpp"

#include "util/byte_record.hpp"
#include "util/errors.hpp"
#include "util/zstd_frame.hpp"

#include <algorithm>
#include <array>

namespace natfw {

namespace {

// Raised when the layout below changes; a block of another version is refused, never misread.
constexpr char k_format = '1';
// Rules are written once per ruleset at indexing speed; level 1 already takes
// generated rule text to about a twentieth.
constexpr int k_level = 1;
// A block holds 512 rules of at most a few kilobytes each; more is damage.
constexpr std::size_t k_max_plain = std::size_t{64} << 20;
constexpr const char* k_cut = "rule block is damaged: it ends inside a rule";

enum Flag : std::uint8_t {
    goto_chain = 1,
    proto_negated = 2,
    source_negated = 4,
    has_to_addresses = 8,
    has_to_ports = 16,
};

void put_rule(std::string& out, const Rule& r)
{
    put_value<std::int32_t>(out, r.position);
    put_value<std::int32_t>(out, r.line);
    std::uint8_t flags = (r.goto_chain ? goto_chain : 0) | (r.proto_negated ? proto_negated : 0) |
                         (r.source.negated ? source_negated : 0) | (r.to_addresses ? has_to_addresses : 0) |
                         (r.to_ports ? has_to_ports : 0);
    put_value(out, flags);
    put_value(out, r.source.range.lo);
    put_value(out, r.source.range.hi);
    if (r.to_addresses) {
        put_value(out, r.to_addresses->lo);
        put_value(out, r.to_addresses->hi);
    }
    if (r.to_ports) {
        put_value(out, r.to_ports->lo);
        put_value(out, r.to_ports->hi);
    }
    put_text(out, r.chain);
    put_text(out, r.target);
    put_text(out, r.proto);
    put_value(out, static_cast<std::uint32_t>(r.conditions.size()));
    for (const auto& c : r.conditions)
        put_text(out, c);
    put_text(out, r.text);
}

Rule read_rule(ByteReader& in)
{
    Rule r;
    r.position = in.value<std::int32_t>();
    r.line = in.value<std::int32_t>();
    const auto flags = in.value<std::uint8_t>();
    r.goto_chain = (flags & goto_chain) != 0;
    r.proto_negated = (flags & proto_negated) != 0;
    r.source.negated = (flags & source_negated) != 0;
    r.source.range.lo = in.value<Ipv4>();
    r.source.range.hi = in.value<Ipv4>();
    if (flags & has_to_addresses) {
        auto lo = in.value<Ipv4>();
        r.to_addresses = Ipv4Range{lo, in.value<Ipv4>()};
    }
    if (flags & has_to_ports) {
        auto lo = in.value<std::uint16_t>();
        r.to_ports = PortRange{lo, in.value<std::uint16_t>()};
    }
    r.chain = in.text();
    r.target = in.text();
    r.proto = in.text();
    const auto conditions = in.value<std::uint32_t>();
    if (conditions > 4096)
        throw Error("rule block is damaged: too many conditions");
    for (std::uint32_t i = 0; i < conditions; ++i)
        r.conditions.push_back(in.text());
    r.text = in.text();
    return r;
}

RuleBlockSummary summarize(const Rule* first, const Rule* end)
{
    RuleBlockSummary s;
    s.first_position = first->position;
    s.last_position = (end - 1)->position;
    for (const Rule* r = first; r != end; ++r) {
        const auto& src = r->source;
        if (src.negated || src.range.lo < src.range.hi)
            s.wide = true;
        else if (!s.hosts)
            s.hosts = std::pair{src.range.lo, src.range.lo};
        else
            s.hosts = std::pair{std::min(s.hosts->first, src.range.lo), std::max(s.hosts->second, src.range.lo)};
        s.inbound = s.inbound || is_inbound_kind(*r);
    }
    return s;
}

} // namespace

bool is_inbound_kind(const Rule& rule)
{
    static constexpr std::array<std::string_view, 5> k_kinds{"DNAT", "ACCEPT", k_nft_accept, "DROP", "RETURN"};
    return std::find(k_kinds.begin(), k_kinds.end(), rule.target) != k_kinds.end();
}

std::vector<EncodedRuleBlock> encode_rule_blocks(const std::vector<Rule>& rules)
{
    std::vector<EncodedRuleBlock> out;
    std::string plain;
    for (std::size_t at = 0; at < rules.size(); at += k_block_rules) {
        const Rule* first = rules.data() + at;
        const Rule* end = rules.data() + std::min(rules.size(), at + k_block_rules);
        plain.assign(1, k_format);
        for (const Rule* r = first; r != end; ++r)
            put_rule(plain, *r);
        out.push_back({summarize(first, end), zstd_compress(plain, k_level, "a rule block")});
    }
    return out;
}

std::string seal_rule_block_for_tests(std::string_view plain)
{
    return zstd_compress(plain, k_level, "a rule block");
}

std::vector<Rule> decode_rule_block(std::string_view body)
{
    const auto plain = zstd_decompress_block(body, k_format, k_max_plain, "rule block");
    ByteReader in(std::string_view(plain).substr(1), k_cut);
    std::vector<Rule> out;
    while (!in.done()) {
        out.push_back(read_rule(in));
        if (out.size() > k_block_rules)
            throw Error("rule block is damaged: more rules than a block holds");
    }
    return out;
}

} // namespace natfw
