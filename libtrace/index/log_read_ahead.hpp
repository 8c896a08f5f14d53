#pragma once
// Reading a connection log on a thread of its own while the calling thread
// stores the events. Reading and parsing a line, and storing its event (the
// event blocks, compressed, into SQLite), were each about half of the first
// phase of an ingest, which had one core to itself.
#include "parse/connection_log_reader.hpp"

#include <functional>
#include <string>

namespace natfw {

/// What read_connection_log() does, with the same result and the same events
/// in the same order, but `on_event` is called on the calling thread while
/// another reads ahead, and may keep the event it is given (moving it saves
/// the storing side a copy of its texts). An exception from either side
/// stops both and is thrown here (the reader's first when both fail).
LogReadResult read_connection_log_ahead(int fd, const std::string& name, const LogReadOptions& options,
                                        const std::function<void(ConnectionEvent&&)>& on_event);

} // namespace natfw
