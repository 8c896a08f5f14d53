#pragma once
// A session as lookups read it from the index, with its evidence.
#include "parse/connection_event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

/// One report of a session's event: which source, where in it.
struct SessionEvidence {
    char event = 'C';       ///< C or D
    UnixMicros time = 0;
    std::string source_kind; ///< log, db, spool
    std::string source;      ///< file path or database path
    std::int64_t position = 0; ///< line (log, spool) or the row's connected_at in microseconds (db)
};

/// Whether a session from `connected_at` to `disconnected_at` (either unknown:
/// before the log, still open) held its address at some instant of [from, to].
inline bool held_during(const std::optional<UnixMicros>& connected_at, const std::optional<UnixMicros>& disconnected_at,
                        UnixMicros from, UnixMicros to)
{
    return (!connected_at || *connected_at <= to) && (!disconnected_at || *disconnected_at >= from);
}

struct SessionRecord {
    std::int64_t id = 0;
    std::string user, profile, connection, vpn_proto, ip4, ip6, originating;
    std::optional<UnixMicros> connected_at, disconnected_at;
    std::string ended_by; ///< "disconnect", "inferred" or empty (still open)
    std::string inferred_why;
    std::vector<SessionEvidence> evidence;
    /// Whether it held its address at some instant of [from, to].
    bool overlaps(UnixMicros from, UnixMicros to) const { return held_during(connected_at, disconnected_at, from, to); }
};

} // namespace natfw
