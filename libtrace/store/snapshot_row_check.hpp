#pragma once
// A digest over what a snapshot row says about its evidence: which node,
// from when, which file with which content, which ruleset. SQLite keeps no
// checksum of its pages, so a byte flipped in a path or a ruleset id would
// otherwise be printed as evidence or answered from; lookups check the rows
// they answer from and refuse the index when one does not match.
#include "util/time_format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace natfw {

/// The check natfw-index stores in snapshot.row_check (and snapshot6's).
std::string snapshot_row_check(std::int64_t node_id, UnixSeconds valid_from, std::string_view path,
                               std::string_view sha256, std::optional<std::int64_t> ruleset_id);

/// Throws IndexDamaged naming the row (not its path, which may be what is
/// damaged) when `stored` is not the row's check.
void require_snapshot_row(std::string_view stored, std::int64_t row_id, std::int64_t node_id, UnixSeconds valid_from,
                          std::string_view path, std::string_view sha256, std::optional<std::int64_t> ruleset_id);

} // namespace natfw
