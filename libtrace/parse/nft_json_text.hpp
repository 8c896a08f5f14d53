#pragma once
// One expression or statement of `nft -j list ruleset` JSON written back as
// the nft text `nft list ruleset` prints for it, so that the text reader
// (parse/nft_rule) gives JSON and text snapshots one meaning, and a JSON
// rule's evidence reads like its text twin. Forms not known here come out as
// their JSON key, which the text reader reports as not understood.
#include <nlohmann/json_fwd.hpp>

#include <string>

namespace natfw {

/// A value: address, prefix, range, set, concatenation, payload, meta, map, verdict.
/// `quote` writes strings in quotes (interface names), as nft prints them.
std::string nft_json_value(const nlohmann::json& value, bool quote = false);

/// A statement of a rule's "expr" array: match, counter, verdicts, snat, masquerade, ...
std::string nft_json_statement(const nlohmann::json& statement);

} // namespace natfw
