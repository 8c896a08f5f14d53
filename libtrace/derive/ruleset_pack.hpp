#pragma once
// A ruleset's source-NAT cells in a compact, sorted, in-memory form, stored
// as one blob per ruleset. Batches search it with binary searches instead of
// one SQL query per row.
#include "derive/rule_hit.hpp"
#include "derive/nat_cells.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// 1: before first-match evaluation; 2: adds partially reached rules;
/// 3: reach as rows beside it; 4: a checksum, and values validated on reading;
/// 5: stored as a zstd frame, whose checksum replaces the SHA-256.
inline constexpr int k_pack_format = 5;

/// The cells of one elementary public-address interval.
struct PackedColumn {
    Ipv4 pub_lo = 0;
    Ipv4 pub_hi = 0;
    std::uint32_t cell_begin = 0;
    std::uint32_t cell_end = 0;
    std::uint32_t has_snat = 0; ///< an SNAT (not only MASQUERADE) rule targets it
};

struct PackedCell {
    std::uint16_t port_lo = 0;
    std::uint16_t port_hi = 0;
    std::uint32_t rule = 0; ///< index into RulesetPack::rules
};

struct PackedRule {
    Ipv4 src_lo = 0;
    Ipv4 src_hi = 0;
    std::int32_t position = 0;
    std::int32_t line = 0;
    std::uint16_t port_lo = 0;
    std::uint16_t port_hi = 0;
    std::uint32_t flags = 0;
};

inline constexpr std::uint32_t k_rule_src_negated = 1;
inline constexpr std::uint32_t k_rule_masquerade = 2;
inline constexpr std::uint32_t k_rule_has_ports = 4;
/// Earlier rules take part of the source: src_lo/src_hi is the range that
/// still reaches it, and RulesetPack::excluded says what inside it does not.
inline constexpr std::uint32_t k_rule_partial = 8;
/// First match: no connection reaches the rule for this protocol.
inline constexpr std::uint32_t k_rule_never = 16;

/// For a partial rule entry: the addresses inside its range that earlier
/// rules take, as people read them (RulesetPack::text), and those rules'
/// lines (RulesetPack::lines).
struct PackedExclusion {
    std::uint32_t rule = 0; ///< index into RulesetPack::rules
    std::uint32_t excluded_offset = 0, excluded_length = 0;
    std::uint32_t taken_by_offset = 0, taken_by_count = 0;
};

/// Ports per bucket of the in-memory index over a column's cells.
inline constexpr unsigned k_bucket_shift = 4;
inline constexpr std::size_t k_buckets = 65536 >> k_bucket_shift;
/// Columns with fewer cells are searched without buckets.
inline constexpr std::uint32_t k_bucket_min_cells = 64;

struct RulesetPack {
    // Per protocol: columns sorted by pub_lo; each column's cells sorted by (port_lo, rule position).
    std::vector<PackedColumn> tcp_columns, udp_columns;
    std::vector<PackedCell> tcp_cells, udp_cells;
    std::vector<PackedRule> rules; ///< the source-NAT rules, in rule order, then partial entries
    std::vector<PackedExclusion> exclusions; ///< sorted by rule
    std::string text;
    std::vector<std::int32_t> lines;
    /// Not stored: built by index_buckets(). For each large column, k_buckets
    /// entries; entry b counts the column's cells with port_lo <= b << k_bucket_shift,
    /// so a lookup starts next to its cell instead of binary-searching cold memory.
    std::vector<std::uint32_t> tcp_buckets, udp_buckets;
    std::vector<std::uint32_t> tcp_bucket_of, udp_bucket_of; ///< per column: offset into *_buckets, or ~0u
};

/// The memory a decoded pack holds, in bytes (its arrays and text).
std::size_t pack_bytes(const RulesetPack& pack);

/// Builds the buckets of a decoded pack.
void index_buckets(RulesetPack& pack);

/// Builds the pack from a ruleset's rules, its cells (build_nat_cells) and
/// their reach (evaluate_first_match).
RulesetPack make_pack(const std::vector<Rule>& rules, const std::vector<NatCell>& cells, const ReachMap& reach);

std::string encode_pack(const RulesetPack& pack);
/// std::nullopt when the blob is not a pack this build can read: another
/// format, a checksum that does not match, or values out of their bounds.
std::optional<RulesetPack> decode_pack(std::string_view blob);

/// `layout` (a pack as it is before compression) sealed as a stored pack:
/// what a faulty build could have written. Lets the fuzzer reach the bounds
/// checks behind the checksum.
std::string reseal_pack_for_tests(std::string_view layout);

/// Appends the rules covering `ip` and `port` for `proto`, in rule order.
void pack_hits(const RulesetPack& pack, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out);
bool pack_maps_address(const RulesetPack& pack, int proto, Ipv4 ip);

} // namespace natfw
