#include "derive/ruleset_pack.hpp"

#include "util/errors.hpp"
#include "util/zstd_frame.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace natfw {

namespace {

constexpr char k_magic[4] = {'N', 'F', 'P', '5'};
constexpr std::uint32_t k_byte_order = 0x01020304;
/// The layout is stored as one zstd frame with its checksum: a flipped byte
/// in the index must not turn into a different answer. Level 1 halves it.
constexpr int k_level = 1;
/// A pack of a million rules is about 40 MB; a larger claimed size is damage.
constexpr std::size_t k_max_layout = std::size_t{1} << 30;

struct Header {
    char magic[4];
    std::uint32_t byte_order;
    std::uint32_t counts[5]; // tcp columns, udp columns, tcp cells, udp cells, rules
};

/// After the rules: the counts of the exclusions, their text and their lines.
struct HeaderExclusions {
    std::uint32_t exclusions;
    std::uint32_t text_bytes;
    std::uint32_t lines;
};

/// Which pack entry stands for a (rule position, protocol), and which for its
/// never-entry: flat by position, as every cell asks.
class EntryIndex {
public:
    explicit EntryIndex(std::size_t positions) : m_live(positions * 2, 0), m_never(positions * 2, 0) {}

    void set(int position, int proto, std::uint32_t entry) { m_live.at(slot(position, proto)) = entry + 1; }
    void set_never(int position, int proto, std::uint32_t entry) { m_never.at(slot(position, proto)) = entry + 1; }
    bool has_never(int position, int proto) const { return m_never.at(slot(position, proto)) != 0; }
    std::uint32_t at(int position, int proto) const { return get(m_live, position, proto); }
    std::uint32_t never_at(int position, int proto) const { return get(m_never, position, proto); }

private:
    static std::size_t slot(int position, int proto)
    {
        if (position < 0)
            throw std::out_of_range("a pack entry for a negative rule position");
        return static_cast<std::size_t>(position) * 2 + (proto == k_proto_udp ? 1 : 0);
    }
    static std::uint32_t get(const std::vector<std::uint32_t>& v, int position, int proto)
    {
        std::uint32_t e = v.at(slot(position, proto));
        if (!e)
            throw std::out_of_range("a cell or reach entry names a rule the pack does not hold");
        return e - 1;
    }

    std::vector<std::uint32_t> m_live, m_never; ///< 1 + entry, or 0
};

void add_protocol(int proto, const std::vector<NatCell>& cells, const EntryIndex& entries,
                  const std::vector<PackedRule>& rules, std::vector<PackedColumn>& columns,
                  std::vector<PackedCell>& out)
{
    // build_nat_cells emits cells sorted by (pub_lo, port_lo, position) per protocol.
    for (const auto& c : cells) {
        if (c.proto != proto)
            continue;
        if (columns.empty() || columns.back().pub_lo != c.pub_lo) {
            auto at = static_cast<std::uint32_t>(out.size());
            columns.push_back({c.pub_lo, c.pub_hi, at, at, 0});
        }
        // A never cell points at its rule's never-entry (see make_pack).
        std::uint32_t r = c.never ? entries.never_at(c.position, proto) : entries.at(c.position, proto);
        out.push_back({c.port_lo, c.port_hi, r});
        columns.back().cell_end = static_cast<std::uint32_t>(out.size());
        if (!(rules[r].flags & (k_rule_masquerade | k_rule_never)))
            columns.back().has_snat = 1;
    }
}

template <class T>
void append(std::string& out, const std::vector<T>& v)
{
    if (!v.empty()) // an empty vector's data() may be null, which append/memcpy must not see
        out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

template <class T>
bool take(std::string_view& in, std::vector<T>& v, std::uint32_t n)
{
    if (in.size() < std::size_t{n} * sizeof(T))
        return false;
    v.resize(n);
    if (n == 0)
        return true;
    std::memcpy(v.data(), in.data(), std::size_t{n} * sizeof(T));
    in.remove_prefix(std::size_t{n} * sizeof(T));
    return true;
}

const PackedColumn* column_of(const std::vector<PackedColumn>& columns, Ipv4 ip)
{
    auto it = std::upper_bound(columns.begin(), columns.end(), ip,
                               [](Ipv4 v, const PackedColumn& c) { return v < c.pub_lo; });
    if (it == columns.begin())
        return nullptr;
    --it;
    return it->pub_hi >= ip ? &*it : nullptr;
}

} // namespace

RulesetPack make_pack(const std::vector<Rule>& rules, const std::vector<NatCell>& cells, const ReachMap& reach)
{
    RulesetPack pack;
    EntryIndex entries(position_count(rules));
    for (const auto& r : rules) {
        if (!is_source_nat(r))
            continue;
        std::uint32_t flags = (r.source.negated ? k_rule_src_negated : 0) |
                              (r.target == "MASQUERADE" ? k_rule_masquerade : 0) | (r.to_ports ? k_rule_has_ports : 0);
        PortRange ports = r.to_ports.value_or(PortRange{1, 65535});
        auto at = static_cast<std::uint32_t>(pack.rules.size());
        entries.set(r.position, k_proto_tcp, at);
        entries.set(r.position, k_proto_udp, at);
        pack.rules.push_back({r.source.range.lo, r.source.range.hi, r.position, r.line, ports.lo, ports.hi, flags});
    }
    // A rule no source reaches gets a never-entry per protocol.
    for (const auto& c : cells) {
        if (!c.never || entries.has_never(c.position, c.proto))
            continue;
        PackedRule entry = pack.rules[entries.at(c.position, c.proto)];
        entry.flags |= k_rule_never;
        entries.set_never(c.position, c.proto, static_cast<std::uint32_t>(pack.rules.size()));
        pack.rules.push_back(entry);
    }
    // A rule reached by part of its source gets an entry of its own per protocol.
    for (const auto& [key, rr] : reach) {
        if (!rr.partial())
            continue;
        PackedRule entry = pack.rules[entries.at(key.first, key.second)];
        auto hull = rr.reach.hull();
        entry.src_lo = hull.lo;
        entry.src_hi = hull.hi;
        entry.flags = (entry.flags & ~k_rule_src_negated) | k_rule_partial;
        auto at = static_cast<std::uint32_t>(pack.rules.size());
        pack.rules.push_back(entry);
        entries.set(key.first, key.second, at);
        std::string excluded = Ipv4Set(hull).minus(rr.reach).describe();
        PackedExclusion x{at, static_cast<std::uint32_t>(pack.text.size()), static_cast<std::uint32_t>(excluded.size()),
                          static_cast<std::uint32_t>(pack.lines.size()), static_cast<std::uint32_t>(rr.taken_by.size())};
        pack.text += excluded;
        pack.lines.insert(pack.lines.end(), rr.taken_by.begin(), rr.taken_by.end());
        pack.exclusions.push_back(x);
    }
    add_protocol(k_proto_tcp, cells, entries, pack.rules, pack.tcp_columns, pack.tcp_cells);
    add_protocol(k_proto_udp, cells, entries, pack.rules, pack.udp_columns, pack.udp_cells);
    return pack;
}

std::string encode_pack(const RulesetPack& p)
{
    Header h{};
    std::memcpy(h.magic, k_magic, sizeof k_magic);
    h.byte_order = k_byte_order;
    h.counts[0] = static_cast<std::uint32_t>(p.tcp_columns.size());
    h.counts[1] = static_cast<std::uint32_t>(p.udp_columns.size());
    h.counts[2] = static_cast<std::uint32_t>(p.tcp_cells.size());
    h.counts[3] = static_cast<std::uint32_t>(p.udp_cells.size());
    h.counts[4] = static_cast<std::uint32_t>(p.rules.size());
    std::string out(reinterpret_cast<const char*>(&h), sizeof h);
    append(out, p.tcp_columns);
    append(out, p.udp_columns);
    append(out, p.tcp_cells);
    append(out, p.udp_cells);
    append(out, p.rules);
    HeaderExclusions hx{static_cast<std::uint32_t>(p.exclusions.size()), static_cast<std::uint32_t>(p.text.size()),
                        static_cast<std::uint32_t>(p.lines.size())};
    out.append(reinterpret_cast<const char*>(&hx), sizeof hx);
    append(out, p.exclusions);
    append(out, p.lines);
    out += p.text;
    return zstd_compress(out, k_level, "a ruleset pack");
}

std::string reseal_pack_for_tests(std::string_view layout)
{
    return zstd_compress(layout, k_level, "a ruleset pack");
}

namespace {

bool columns_valid(const std::vector<PackedColumn>& columns, std::size_t cells)
{
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const auto& c = columns[i];
        if (c.pub_lo > c.pub_hi || c.cell_begin > c.cell_end || c.cell_end > cells ||
            (i > 0 && (columns[i - 1].pub_hi >= c.pub_lo || columns[i - 1].cell_end != c.cell_begin)))
            return false;
    }
    return true;
}

bool cells_valid(const std::vector<PackedCell>& cells, std::size_t rules)
{
    return std::all_of(cells.begin(), cells.end(),
                       [&](const PackedCell& c) { return c.port_lo <= c.port_hi && c.rule < rules; });
}

bool rules_valid(const std::vector<PackedRule>& rules)
{
    return std::all_of(rules.begin(), rules.end(), [](const PackedRule& r) {
        return r.src_lo <= r.src_hi && r.position >= 0 && r.line > 0 &&
               (!(r.flags & k_rule_has_ports) || (r.port_lo >= 1 && r.port_lo <= r.port_hi));
    });
}

} // namespace

std::optional<RulesetPack> decode_pack(std::string_view blob)
{
    std::string layout;
    try {
        layout = zstd_decompress(blob, k_max_layout, "ruleset pack");
    } catch (const Error&) {
        return std::nullopt;
    }
    std::string_view in = layout;
    Header h{};
    if (in.size() < sizeof h)
        return std::nullopt;
    std::memcpy(&h, in.data(), sizeof h);
    if (std::memcmp(h.magic, k_magic, sizeof k_magic) != 0 || h.byte_order != k_byte_order)
        return std::nullopt; // an older format: natfw-index derives the pack again
    in.remove_prefix(sizeof h);
    RulesetPack p;
    if (!take(in, p.tcp_columns, h.counts[0]) || !take(in, p.udp_columns, h.counts[1]) ||
        !take(in, p.tcp_cells, h.counts[2]) || !take(in, p.udp_cells, h.counts[3]) || !take(in, p.rules, h.counts[4]))
        return std::nullopt;
    HeaderExclusions hx{};
    if (in.size() < sizeof hx)
        return std::nullopt;
    std::memcpy(&hx, in.data(), sizeof hx);
    in.remove_prefix(sizeof hx);
    if (!take(in, p.exclusions, hx.exclusions) || !take(in, p.lines, hx.lines) || in.size() != hx.text_bytes)
        return std::nullopt;
    p.text.assign(in);
    for (const auto& x : p.exclusions)
        if (x.rule >= p.rules.size() || std::size_t{x.excluded_offset} + x.excluded_length > p.text.size() ||
            std::size_t{x.taken_by_offset} + x.taken_by_count > p.lines.size())
            return std::nullopt;
    // Checked although the checksum matched: a pack written by a faulty
    // build must not index out of bounds either.
    if (!columns_valid(p.tcp_columns, p.tcp_cells.size()) || !columns_valid(p.udp_columns, p.udp_cells.size()) ||
        !cells_valid(p.tcp_cells, p.rules.size()) || !cells_valid(p.udp_cells, p.rules.size()) ||
        !rules_valid(p.rules))
        return std::nullopt;
    return p;
}

namespace {

void build_buckets(const std::vector<PackedColumn>& columns, const std::vector<PackedCell>& cells,
                   std::vector<std::uint32_t>& buckets, std::vector<std::uint32_t>& bucket_of)
{
    buckets.clear();
    bucket_of.assign(columns.size(), ~0u);
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const PackedColumn& col = columns[c];
        if (col.cell_end - col.cell_begin < k_bucket_min_cells)
            continue;
        bucket_of[c] = static_cast<std::uint32_t>(buckets.size());
        std::uint32_t n = 0, count = col.cell_end - col.cell_begin;
        for (std::size_t b = 0; b < k_buckets; ++b) {
            auto first_port = static_cast<std::uint32_t>(b << k_bucket_shift);
            while (n < count && cells[col.cell_begin + n].port_lo <= first_port)
                ++n;
            buckets.push_back(n);
        }
    }
}

} // namespace

void index_buckets(RulesetPack& p)
{
    build_buckets(p.tcp_columns, p.tcp_cells, p.tcp_buckets, p.tcp_bucket_of);
    build_buckets(p.udp_columns, p.udp_cells, p.udp_buckets, p.udp_bucket_of);
}

void pack_hits(const RulesetPack& p, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out)
{
    bool tcp = proto == k_proto_tcp;
    const auto& columns = tcp ? p.tcp_columns : p.udp_columns;
    const PackedColumn* col = column_of(columns, ip);
    if (!col)
        return;
    const auto& cells = tcp ? p.tcp_cells : p.udp_cells;
    auto begin = cells.begin() + col->cell_begin, end = cells.begin() + col->cell_end;
    // `it`: the first cell with port_lo > port.
    decltype(begin) it;
    const auto& bucket_of = tcp ? p.tcp_bucket_of : p.udp_bucket_of;
    std::uint32_t bucket_base = bucket_of.empty() ? ~0u : bucket_of[static_cast<std::size_t>(col - columns.data())];
    if (bucket_base != ~0u) {
        const auto& buckets = tcp ? p.tcp_buckets : p.udp_buckets;
        it = begin + buckets[bucket_base + (port >> k_bucket_shift)];
        while (it != end && it->port_lo <= port)
            ++it;
    } else {
        it = std::upper_bound(begin, end, port, [](std::uint16_t v, const PackedCell& c) { return v < c.port_lo; });
    }
    if (it == begin)
        return;
    // The cells with the greatest port_lo <= port; they share port_lo and port_hi.
    std::uint16_t lo = std::prev(it)->port_lo;
    auto first = std::prev(it);
    while (first != begin && std::prev(first)->port_lo == lo)
        --first;
    for (auto c = first; c != it; ++c) {
        if (c->port_hi < port)
            continue;
        const PackedRule& r = p.rules[c->rule];
        RuleHit h;
        h.position = r.position;
        h.line = r.line;
        h.source = SourceMatch{{r.src_lo, r.src_hi}, (r.flags & k_rule_src_negated) != 0};
        if (r.flags & k_rule_has_ports)
            h.ports = PortRange{r.port_lo, r.port_hi};
        h.masquerade = (r.flags & k_rule_masquerade) != 0;
        h.never = (r.flags & k_rule_never) != 0;
        if (r.flags & k_rule_partial) {
            auto rule = static_cast<std::uint32_t>(c->rule);
            auto x = std::lower_bound(p.exclusions.begin(), p.exclusions.end(), rule,
                                      [](const PackedExclusion& e, std::uint32_t v) { return e.rule < v; });
            if (x != p.exclusions.end() && x->rule == rule) {
                h.excluded = std::string_view(p.text).substr(x->excluded_offset, x->excluded_length);
                h.taken_by = std::span(p.lines).subspan(x->taken_by_offset, x->taken_by_count);
            }
        }
        out.push_back(h);
    }
}

bool pack_maps_address(const RulesetPack& p, int proto, Ipv4 ip)
{
    const PackedColumn* col = column_of(proto == k_proto_tcp ? p.tcp_columns : p.udp_columns, ip);
    return col && col->has_snat;
}

std::size_t pack_bytes(const RulesetPack& pack)
{
    auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    return bytes(pack.tcp_columns) + bytes(pack.udp_columns) + bytes(pack.tcp_cells) + bytes(pack.udp_cells) +
           bytes(pack.rules) + bytes(pack.exclusions) + pack.text.capacity() + bytes(pack.lines) +
           bytes(pack.tcp_buckets) + bytes(pack.udp_buckets) + bytes(pack.tcp_bucket_of) + bytes(pack.udp_bucket_of);
}

} // namespace natfw
