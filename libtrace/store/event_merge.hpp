#pragma once
// Events of many blocks in the session builder's order. Each block is in that
// order already, so they are merged, not sorted: only the blocks that overlap
// in time are held (for a log read in time order, one or two per source).
#include "derive/session_builder.hpp"

#include <functional>
#include <vector>

namespace natfw {

/// A block's events that are not forgotten, in event_order, and the earliest
/// time the block's row records (forgotten events included).
struct DecodedBlock {
    UnixMicros first_time = 0;
    std::vector<SourcedEvent> events;
};

/// `next_block` fills in the next block by first_time (false: no more);
/// `held`: events already in memory, in event_order. Each event goes to
/// `sink` in event_order. Throws IndexDamaged when an event would go out
/// earlier than one before it (a block out of order, or earlier than its
/// first_time says).
void merge_events(const std::function<bool(DecodedBlock&)>& next_block, std::vector<SourcedEvent> held,
                  const std::function<void(SourcedEvent&&)>& sink);

} // namespace natfw
