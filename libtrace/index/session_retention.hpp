#pragma once
// Forgetting VPN sessions on the admin's word. Sessions name people; the
// portal forgets them after a month on purpose, and how long this index keeps
// them is a decision made here: a retention period stored in the index and
// applied at every natfw-index run, or a time before which everything goes.
// The horizon only moves forward. Sessions that ended before it, and their
// events, are deleted with secure_delete (their bytes are overwritten, not
// only unlinked) and the WAL is truncated afterwards, so they are gone from
// the index's files.
#include "parse/connection_event.hpp"
#include "util/time_parse.hpp"

#include <SQLiteCpp/Database.h>

#include <cstdint>
#include <iosfwd>
#include <optional>

namespace natfw {

struct RetentionOptions {
    /// --keep-sessions: store this period (seconds); --keep-sessions forever clears it.
    std::optional<std::optional<std::int64_t>> keep;
    /// --forget-sessions-before, in UTC seconds.
    std::optional<UnixSeconds> forget_before;
};

struct RetentionSummary {
    std::optional<UnixMicros> horizon; ///< after this run
    bool moved = false;                ///< this run forgot something (or moved the horizon)
    std::int64_t sessions_forgotten = 0;
    std::int64_t events_forgotten = 0;
};

/// The horizon a retention period gives at `now`: whole UTC days, so that a
/// run every few minutes forgets at most once a day.
UnixMicros retention_horizon(UnixSeconds now, std::int64_t keep_seconds);

/// Stores `options.keep`, moves the horizon and deletes what lies before it,
/// in one transaction. Throws for failures of the index only.
RetentionSummary apply_session_retention(SQLite::Database& db, const RetentionOptions& options, UnixSeconds now);

/// After a run that deleted rows: copy the WAL into the index and truncate
/// it, so no old page stays behind in it. False when a reader kept the WAL
/// busy (the next run will try again).
bool truncate_wal(SQLite::Database& db);

} // namespace natfw
