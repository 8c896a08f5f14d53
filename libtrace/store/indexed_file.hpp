#pragma once
// "Is this file still what was indexed?", answered once for natfw-index's
// re-runs, --verify and the evidence check of every answer.
#include "util/file.hpp"

#include <filesystem>
#include <string>

namespace natfw {

enum class FileState {
    unchanged, ///< same content (or, when the stat is trusted, same size and modification time)
    touched,   ///< the stat changed, the content did not
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

/// Compares the file at `path` with what the index recorded of it (`sha256`,
/// `stat`). `trust_stat`: an unchanged size and modification time count as
/// unchanged without reading the file (ordinary runs, batches); otherwise the
/// content is always hashed (--verify, single lookups).
IndexedFileCheck check_indexed_file(const std::filesystem::path& path, const std::string& sha256,
                                    const FileStat& stat, bool trust_stat);

} // namespace natfw
