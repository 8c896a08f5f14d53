#pragma once
// Reads the times complaints are written in (see the README's "Times" table).
#include "util/time_format.hpp"

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

    std::string m_zone_name;
    mutable const date::time_zone* m_default_zone = nullptr;
};

} // namespace natfw
