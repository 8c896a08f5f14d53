#pragma once
// Building sessions from stored events on two cores: a second thread
// merges the blocks and runs the session builder, while the calling thread,
// the only one that touches SQLite, reads and decodes the blocks ahead and
// writes the sessions. What is in flight is bounded (a few blocks, the
// sessions not yet written), so memory stays flat in the number of events.
#include "derive/session_builder.hpp"
#include "store/event_merge.hpp"

#include <functional>
#include <vector>

namespace natfw {

/// `next_block` reads and decodes the next block by first_time (false: no
/// more); it and `write` run on the calling thread only. An exception from
/// either side stops both and is thrown here.
void build_sessions_on_two_threads(const std::function<bool(DecodedBlock&)>& next_block,
                                   std::vector<SourcedEvent> held, const std::function<void(Session&&)>& write);

} // namespace natfw
