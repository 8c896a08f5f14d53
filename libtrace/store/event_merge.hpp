#pragma once
// Events of many blocks in the session builder's order. Each block is in that
// order already, so they are merged, not sorted: only the blocks that overlap
// in time are held (for a log read in time order, one or two per source).
#include "derive/session_builder.hpp"

#include <SQLiteCpp/Statement.h>

#include <functional>
#include <vector>

namespace natfw {

/// `blocks`: a statement yielding (id, source_id, first_time, data) ordered by
/// first_time; `held`: events already in memory, in event_order. Each event
/// goes to `sink` in event_order.
void merge_events(SQLite::Statement& blocks, std::vector<SourcedEvent> held,
                  const std::function<void(SourcedEvent&&)>& sink);

} // namespace natfw
