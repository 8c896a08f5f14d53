#pragma once
// An instant the index cannot vouch for: in the future (a mistyped year), or
// well after a node's newest snapshot (rules may have changed since, and the
// re-index hook may have stopped). The answer stands as the index gives it;
// the warning says why it may not be the whole story.
#include "query/answer.hpp"
#include "query/query_input.hpp"

#include <SQLiteCpp/Database.h>

namespace natfw {

/// Adds the warnings to `a`: the query's latest instant after `now` (plus a
/// minute of clock difference), or after a node's newest snapshot by more
/// than `stale_after` seconds (0: never). Only `q.node` when it names one.
void warn_if_late(SQLite::Database& db, const Query& q, UnixSeconds now, UnixSeconds stale_after, Answer& a);

} // namespace natfw
