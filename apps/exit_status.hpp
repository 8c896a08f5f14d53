#pragma once
// Every exit status of the three programs, as README and --help document
// them, and the one place that maps outcomes and exceptions onto them.
#include "query/answer.hpp"

namespace natfw::cli {

enum class ExitStatus : int {
    ok = 0,                ///< unique answer; indexed; written or nothing to do; batch processed
    none = 1,              ///< natfw-trace: no address (or no period for --internal)
    failed = 1,            ///< natfw-index: a file unreadable or changed; natfw-generate: refused or failed
    usage = 2,             ///< bad command line or query
    ambiguous = 3,         ///< natfw-trace: more than one candidate
    index_unavailable = 4, ///< the index is missing, unreadable, not writable, or locked too long
};

inline int code(ExitStatus s) { return static_cast<int>(s); }

/// A single lookup's exit status.
inline ExitStatus exit_status(Status s)
{
    switch (s) {
    case Status::unique:
        return ExitStatus::ok;
    case Status::ambiguous:
        return ExitStatus::ambiguous;
    case Status::none:
        break;
    }
    return ExitStatus::none;
}

/// ok when `clean`, else failed.
inline ExitStatus ok_or_failed(bool clean) { return clean ? ExitStatus::ok : ExitStatus::failed; }

} // namespace natfw::cli
