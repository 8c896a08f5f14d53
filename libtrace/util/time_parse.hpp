#pragma once
// Reads the times complaints are written in (see the README's "Times" table).
#include "util/time_format.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace date {
class time_zone;
}

namespace natfw {

/// What a time text denotes. A local time inside a DST overlap denotes two
/// instants (earlier first); every other time denotes one.
struct ParsedTime {
    std::vector<UnixSeconds> instants;
    /// How the text was read: an offset (`+01:00`), an abbreviation with its
    /// offset (`CET +01:00`), an IANA zone, or `unix seconds`.
    std::string zone;
};

/// Parses times; holds the zone for times written without one. The default
/// zone is only looked up (tz database loaded) when a time needs it.
class TimeParser {
public:
    /// `zone_name` empty: `$TZ`, else the system zone.
    explicit TimeParser(std::string zone_name = {});

    /// Throws UsageError naming what is wrong with `text`.
    ParsedTime parse(std::string_view text) const;
    /// The same, reusing `out`'s storage (for batches).
    void parse(std::string_view text, ParsedTime& out) const;

private:
    const date::time_zone* default_zone() const;
    /// `YYYY-MM-DD[T ]HH:MM:SS[.frac]` with nothing, `Z` or `±HH[:]MM` after
    /// it, read by position: the common forms of batch rows. False: use the
    /// general reader (also for every mistake, so messages stay the same).
    bool parse_fixed_iso(std::string_view text, ParsedTime& out) const;
    /// The default zone's offset for a local time, from a one-entry cache
    /// that only answers where the offset is certain (far from transitions).
    std::optional<int> cached_local_offset(std::int64_t local) const;

    std::string m_zone_name;
    std::string m_utc_name; ///< the default zone's name when it is UTC: then no tz database is read
    mutable const date::time_zone* m_default_zone = nullptr;
    mutable std::int64_t m_cache_lo = 0, m_cache_hi = 0; ///< local seconds with offset m_cache_offset
    mutable int m_cache_offset = 0;
};

} // namespace natfw
