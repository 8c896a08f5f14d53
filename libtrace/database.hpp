#pragma once
// Opening the index: schema migrations, journal mode and time-outs.
#include <SQLiteCpp/Database.h>

#include <filesystem>
#include <memory>

namespace natfw {

/// The default index path: $NATFW_TRACE_DB, else /var/lib/natfw-trace/index.sqlite.
std::filesystem::path default_db_path();

/// Opens (creating it and its directory if needed) the index for indexing and
/// brings its schema up to date. Throws Error when it cannot.
std::unique_ptr<SQLite::Database> open_index_for_writing(const std::filesystem::path& path);

/// Opens an existing index read-only. Throws IndexUnavailable (exit 4) when it
/// is missing, unreadable, or of a schema this build does not know.
std::unique_ptr<SQLite::Database> open_index_for_reading(const std::filesystem::path& path);

} // namespace natfw
