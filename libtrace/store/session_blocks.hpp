#pragma once
// Keeping the session blocks (store/session_block.hpp) equal to the session
// table they are derived from, and reading them. Whatever changes sessions
// (a rebuild after new events, retention) names the /24s it touched, before
// and after, and derives those again in its own transaction.
#include "store/lazy_statement.hpp"
#include "store/session_block.hpp"
#include "util/page_arena.hpp"

#include <SQLiteCpp/Database.h>
#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

/// The /24s a statement of the k_session_nets_* kind lists (?1 bound when given).
std::vector<std::uint32_t> session_nets(SQLite::Database& db, const char* statement,
                                        std::optional<std::int64_t> bind = std::nullopt);
/// The highest session id (0 when none): sessions a rebuild adds come after it.
std::int64_t max_session_id(SQLite::Database& db);
/// Derives the blocks of `nets` again from vpn_session; a /24 left without
/// sessions loses its block.
void derive_session_blocks(SQLite::Database& db, const std::vector<std::uint32_t>& nets);
/// Every block again (a rebuild of all sessions, the schema step).
void derive_all_session_blocks(SQLite::Database& db);
/// --verify: one message per /24 whose stored block is missing, damaged, or
/// differs from what its sessions give, or whose block has no sessions.
std::vector<std::string> session_block_faults(SQLite::Database& db);

/// Not for sharing between threads (a prepared statement).
class SessionBlockReader {
public:
    explicit SessionBlockReader(SQLite::Database& db);
    /// The block of `net` (empty when it holds no session). Throws
    /// IndexDamaged when its row cannot be read as one.
    SessionBlock read(std::uint32_t net);

    ~SessionBlockReader();
    SessionBlockReader(const SessionBlockReader&) = delete;
    SessionBlockReader& operator=(const SessionBlockReader&) = delete;

private:
    SQLite::Database& m_db;
    LazyStatement m_size;
    sqlite3_blob* m_blob = nullptr;
    /// The last block's bytes, kept for the next block. Huge pages and never
    /// zeroed: a vector zeroed each new page and faulted it in page by page,
    /// about a quarter of the time reading a batch's blocks took.
    std::shared_ptr<std::byte[]> m_buffer;
    std::size_t m_buffer_size = 0;
    PageArena m_arena; ///< where the blocks read are decoded into
};

} // namespace natfw
