#pragma once
// One natfw-index run over the VPN's session sources: connection logs (files
// or standard input), the hook's spool, the portal's database. Incremental:
// a file is known by device and inode and read on from where the last run
// stopped; the database from the newest row seen, re-reading rows that were
// still open. The run is one transaction, and the sessions are rebuilt from
// all events when any arrived.
#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

struct SessionIngestOptions {
    std::vector<std::string> logs;        ///< --connection-log (FILE or -)
    std::vector<std::string> spools;      ///< --session-spool
    std::vector<std::string> portal_dbs;  ///< --portal-db
    std::string tz;                       ///< zone of lines without one
    std::optional<int> log_year;          ///< --log-year
    bool verbose = false;
    bool any() const { return !logs.empty() || !spools.empty() || !portal_dbs.empty(); }
};

struct SessionIngestSummary {
    int sources_read = 0;
    int source_errors = 0; ///< a source that could not be read (the others still are)
    std::int64_t lines = 0;
    std::int64_t new_events = 0;
    std::int64_t malformed = 0;
    std::int64_t forgotten_skipped = 0; ///< events before the retention horizon, not taken again
    std::size_t sessions = 0; ///< after the rebuild; 0 when nothing new
    bool clean() const { return source_errors == 0; }
};

/// Throws only for failures of the index itself; the transaction then rolls back.
SessionIngestSummary ingest_sessions(SQLite::Database& db, const SessionIngestOptions& options, std::ostream& diag);

} // namespace natfw
