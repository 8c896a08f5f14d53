#pragma once
// The portal's own SQLite database (vpn-user-portal 3.x, table
// connection_log), read-only and briefly: the portal is writing it.
#include "store/session_store.hpp"

#include <cstddef>
#include <iosfwd>
#include <string>

namespace natfw {

/// Measured on a 500,000-row table: a page takes a few milliseconds to copy.
inline constexpr std::size_t k_portal_page_rows = 2048;

struct PortalReadResult {
    std::int64_t rows = 0;       ///< rows read this time
    std::int64_t new_events = 0; ///< events the index did not hold yet
    std::int64_t malformed = 0;  ///< rows whose values are not what the portal writes
    bool unchanged = false;      ///< no transaction changed the database since the last run: nothing read
};

/// Reads nothing when SQLite's file change counter, the file's size and its
/// modification time are as they were when the last run began. Otherwise
/// reads the rows from shortly before the newest one seen last time, and
/// again each row that was open then (the portal fills in disconnected_at
/// later). Throws FileError when the database cannot be opened or has no
/// connection_log with the portal's columns.
/// The rows are copied out a page of `page_rows` at a time, each page under
/// a read lock of its own.
PortalReadResult read_portal_db(SessionStore& store, SourceState& source, const std::string& path,
                                std::ostream& diag, std::size_t page_rows = k_portal_page_rows);

} // namespace natfw
