#pragma once
// What a snapshot file holds, read from its content rather than its name:
// iptables-save text, nftables text (nft list ruleset, nftables.conf), or
// nft -j JSON, each parsed by its own reader into the same ParsedRuleset.
#include "parse/ruleset.hpp"

#include <string_view>
#include <utility>

namespace natfw {

enum class SnapshotFormat { iptables, nft_text, nft_json };

/// The program whose refusal makes a snapshot unusable: "iptables-restore" or "nft -f".
std::string_view snapshot_loader(SnapshotFormat format);

/// Judged by the first line that is not blank or a `#` comment: `{` or `[`
/// is JSON; `*TABLE`, `:CHAIN`, `-A` and `COMMIT` are iptables-save; any
/// other word (table, flush, define, add, include) is nft text. A file with
/// nothing else is iptables-save, whose reader says it is empty.
SnapshotFormat detect_snapshot_format(std::string_view content);

/// The NAT rules of a snapshot in any format, as the packets of `family`
/// meet them (iptables-save text is read as ip6tables-save for ipv6).
/// Never throws on bad content.
ParsedRuleset read_snapshot(std::string_view content, SnapshotFormat format, Family family = Family::ipv4);

/// Both families of one file, an nft document parsed once: what an nft
/// snapshot gives each timeline.
std::pair<ParsedRuleset, ParsedRuleset> read_snapshot_both(std::string_view content, SnapshotFormat format);

} // namespace natfw
