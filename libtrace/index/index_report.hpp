#pragma once
// natfw-index --list and --verify: what the index holds, and whether the
// files behind it are still the ones indexed.
#include <SQLiteCpp/Database.h>

#include <iosfwd>

namespace natfw {

/// Prints every node's snapshots: file, period, rules, sha256, usable or why not.
void list_index(SQLite::Database& db, std::ostream& out);

struct VerifySummary {
    int checked = 0;
    int changed = 0;
    int missing = 0;
    int damaged = 0; ///< faults in the index itself (SQLite's check, a ruleset's digest, a pack)
    bool clean() const { return !changed && !damaged; }
};

/// Checks the index itself (SQLite's integrity check, every ruleset's rules
/// against their digest, every pack against its checksum, every session's
/// evidence against the events held, the session blocks against the sessions), then re-hashes
/// every indexed file; reports damage and changed files (errors) and missing
/// ones (notices) on `diag`, and a summary on `out`.
VerifySummary verify_index(SQLite::Database& db, std::ostream& out, std::ostream& diag);

} // namespace natfw
