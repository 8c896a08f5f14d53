#pragma once
// Which IANA zone a user means: --tz, else $TZ (as date(1) reads it), else
// the system's.
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace natfw {

/// `name` empty: `$TZ` (`:Name`, a zoneinfo path, or empty for UTC), else
/// /etc/localtime. Loads the tz database. Throws UsageError naming where the
/// unknown name came from (`origin`, e.g. "--tz").
const date::time_zone* resolve_zone(std::string_view name, std::string_view origin = "--tz");

/// The zone's name when `name` (or `$TZ`, as resolve_zone reads them) is
/// UTC itself ("UTC" or "Etc/UTC"), else empty. UTC needs no tz database,
/// and reading the database costs a lookup process more than its query.
std::string utc_zone_name(std::string_view name);

} // namespace natfw
