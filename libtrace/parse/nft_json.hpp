#pragma once
// `nft -j list ruleset` JSON read into the structure the text reader builds
// (parse/nft_document.hpp), so that one semantic stage serves both. Each rule
// is written back as nft text (parse/nft_json_text.hpp) and keeps the line of
// the file its JSON object starts on and its handle as evidence.
//
// What makes the file unusable: JSON that does not parse, JSON that is not a
// listed ruleset (no top-level "nftables" array, or nft -j commands such as
// "add"), an object naming a table or chain the file does not list, and an
// iptables-nft NAT target (`{"xt": {"type": "target", "name": "SNAT"}}`), which
// nft -j prints without its address and ports.
#include "parse/nft_document.hpp"

#include <string_view>

namespace natfw {

/// Reads nft JSON. Never throws on bad content.
NftDocument parse_nft_json(std::string_view content);

} // namespace natfw
