#pragma once
// "Is this file still what was indexed?", answered once for natfw-index's
// re-runs, --verify and the evidence check of every answer.
#include "util/file.hpp"

#include <SQLiteCpp/Statement.h>

#include <filesystem>
#include <string>

namespace natfw {

enum class FileState {
    unchanged, ///< same content, known without hashing (see StatTrust) or by hashing
    touched,   ///< hashed: the same content, but the recorded stat or identity differs (or was not recorded)
    changed,   ///< other content than was indexed
    missing,   ///< no file at the path (deleted, rotated away)
    no_stat,   ///< stat failed otherwise; `error` is the reason
    unreadable ///< there, but it cannot be read; `error` is "PATH: cannot read: REASON"
};

struct IndexedFileCheck {
    FileState state = FileState::unchanged;
    FileStat stat;       ///< as found (unless missing or unreadable)
    std::string sha256;  ///< as found, when the file was hashed
    std::string error;   ///< why, for no_stat and unreadable
};

/// When a file counts as unchanged without reading it.
enum class StatTrust {
    /// Never: always hash (--verify).
    none,
    /// When its recorded identity (device, inode, size, modification and
    /// change times) is the file's: natfw-index runs and lookups. A row
    /// without an identity is hashed.
    identity,
    /// As `identity`, and a row without an identity when its size and
    /// modification time are unchanged (batches and --status on indexes made
    /// before identities were kept).
    size_and_time,
};

/// Compares the file at `path` with what the index recorded of it (`sha256`,
/// `stat`), reading the content only when `trust` does not vouch for it.
IndexedFileCheck check_indexed_file(const std::filesystem::path& path, const std::string& sha256,
                                    const FileStat& stat, StatTrust trust);

/// A FileStat from a row: the size and modification time in columns `size`
/// and `mtime`, the device, inode and change time in three columns from `identity` on.
FileStat file_stat_columns(SQLite::Statement& st, int size, int mtime, int identity);

} // namespace natfw
