#pragma once
// Opening the index: schema migrations, journal mode and time-outs.
#include "util/errors.hpp"
#include "util/file_lock.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <memory>

namespace natfw {

/// The index is missing, unreadable, of an unknown schema, or cannot be
/// created or written.
class IndexUnavailable : public Error {
public:
    using Error::Error;
};

/// The index holds values no natfw-index wrote (bytes flipped on disk, a
/// truncated copy): no answer may come from it. `what` names the place.
class IndexDamaged : public IndexUnavailable {
public:
    explicit IndexDamaged(const std::string& where)
        : IndexUnavailable("the index is damaged: " + where +
                           "; run natfw-index --verify, and restore it from a backup or index the snapshots again")
    {
    }
};

/// The default index path: $NATFW_TRACE_DB, else /var/lib/natfw-trace/index.sqlite.
std::filesystem::path default_db_path();

/// Opens (creating it and its directory if needed) the index for indexing and
/// brings its schema up to date, saying on `diag` what an upgrade did to
/// derived data. Throws IndexUnavailable when it cannot.
std::unique_ptr<SQLite::Database> open_index_for_writing(const std::filesystem::path& path,
                                                         std::ostream* diag = nullptr);

/// How long an indexer waits for another one by default.
inline constexpr std::chrono::seconds k_default_lock_timeout{300};

/// Serialises writers of one index (natfw-index, natfw-generate): an flock on
/// PATH.lock, held for the returned object's lifetime. A writer that must
/// wait says so on `diag`, once; after `timeout` it throws LockTimeout;
/// IndexUnavailable when the lock file cannot be opened.
/// Readers never take it: lookups go on during indexing (WAL).
std::unique_ptr<FileLock> lock_index_for_writing(const std::filesystem::path& path, std::chrono::seconds timeout,
                                                 std::ostream& diag);

/// The schema version this build writes.
int latest_schema_version();
/// The schema version of the index at `path`, read without changing it.
/// Throws IndexUnavailable when there is none or it cannot be read.
int index_schema_version(const std::filesystem::path& path);

/// Whether a connection is used by one thread only: SQLite then takes no
/// mutex on each call (a batch worker's own connection reads a row per call).
enum class ConnectionUse { shared, one_thread };

/// Whether SQLite serialises the calls on `db` (ConnectionUse::shared), so
/// that threads may use it at once. The writing connection is not.
bool usable_by_threads(SQLite::Database& db);

/// Opens an existing index read-only. Throws IndexUnavailable (exit 4) when it
/// is missing, unreadable, or of a schema this build does not know.
std::unique_ptr<SQLite::Database> open_index_for_reading(const std::filesystem::path& path,
                                                         ConnectionUse use = ConnectionUse::shared);

/// Whether the index holds anything to answer from (a snapshot, usable or
/// not, or a session source). An index without is "nothing indexed", not an
/// answer of none.
bool index_holds_history(SQLite::Database& db);

} // namespace natfw
