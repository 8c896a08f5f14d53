#pragma once
// Events of many blocks in the session builder's order. Each block is in that
// order already, so they are merged, not sorted: only the blocks that overlap
// in time are held (for a log read in time order, one or two per source).
#include "derive/session_builder.hpp"

#include <functional>
#include <string>
#include <vector>

namespace natfw {

/// A block as stored: its row's id, source, earliest time and compressed events.
struct EncodedBlock {
    std::int64_t id = 0;
    std::int64_t source_id = 0;
    UnixMicros first_time = 0;
    std::string data;
};

/// `next_block` fills in the next block by first_time (false: no more);
/// `held`: events already in memory, in event_order. Each event goes to
/// `sink` in event_order.
void merge_events(const std::function<bool(EncodedBlock&)>& next_block, std::vector<SourcedEvent> held,
                  const std::function<void(SourcedEvent&&)>& sink);

} // namespace natfw
