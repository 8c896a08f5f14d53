#pragma once
// Building sessions from stored events on two cores: a second thread
// merges the blocks and runs the session builder, while the calling thread,
// the only one that touches SQLite, reads and decodes the blocks ahead and
// writes the sessions. What is in flight is bounded (a few blocks, the
// sessions not yet written), so memory stays flat in the number of events.
#include "derive/session_builder.hpp"
#include "store/event_merge.hpp"

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

/// `next_block` and `write` run on the calling thread only. An exception from
/// either side stops both and is thrown here.
void build_sessions_on_two_threads(const std::function<bool(EncodedBlock&)>& next_block,
                                   std::vector<SourcedEvent> held, const std::function<void(Session&&)>& write);

} // namespace natfw
