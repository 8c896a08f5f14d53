#pragma once
#include <filesystem>
#include <optional>
// natfw-trace --batch: one answer per complaint row, streamed.
#include "batch/batch_columns.hpp"
#include "query/tracer.hpp"
#include "util/time_parse.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

namespace SQLite {
class Database;
}

namespace natfw {

struct BatchOptions {
    ColumnNames columns;
    char delimiter = 0; ///< 0: sniffed from the header line
    /// Prefix input cells that a spreadsheet would run as formulas with `'`
    /// (cells natfw writes are always made safe).
    bool escape_input_formulas = false;
    std::string node;   ///< restrict to this node; empty for all
    bool progress = false;
    /// Worker threads answering rows (the calling thread reads and writes).
    std::size_t threads = 1;
    /// --skew / --flow-age for every row (see Query).
    UnixSeconds window_before = 0, window_after = 0;
    /// Candidates carry their rule's text and conditions, as single lookups'
    /// do (answers printed as JSON need them; CSV cells do not).
    bool details = false;
    /// Checks the cited snapshot files (see Tracer); none: no check.
    EvidenceCheck* evidence = nullptr;
    /// The index, when it holds session sources: every row also gets the
    /// users (natfw_user, natfw_user_status). Best a connection any thread
    /// may use (ConnectionUse::shared) in one read transaction for the batch:
    /// without details the workers then read the sessions' blocks and the
    /// rare session lists through it, since a connection of each worker's
    /// own cost a batch more than all its rows' waits on this one's mutex
    /// (bench/README.md, "ninth run"). With details every row reads its
    /// sessions' evidence, and a connection threads must not share cannot
    /// be, so then each worker opens a connection of its own.
    SQLite::Database* sessions = nullptr;
    /// The index's path, when it holds an IPv6 timeline: rows naming an IPv6
    /// address with a port are answered from it (a connection per worker, opened
    /// on the first such row).
    std::optional<std::filesystem::path> ipv6_index;
};

struct BatchSummary {
    std::uint64_t rows = 0, unique = 0, none = 0, ambiguous = 0, error = 0;
    /// Counts a row by its natfw_status.
    void count(std::string_view status);
    BatchSummary& operator+=(const BatchSummary& o);
};

/// The natfw_* cells of one answered row.
struct BatchCells {
    std::string status, internal, time, node, snapshot, line, message, user, user_status;
    void clear();
};

/// The cells for a lookup's answer. Candidates are listed once per (address,
/// snapshot); the rules behind one (a tcp and a udp rule) give its line as
/// `9+10`. The message is the reason, then the warnings, joined by ` | `.
void batch_cells(const Query& q, const Answer& a, BatchCells& out);

class RowWriter;
/// Writes the natfw_* cells of a row (natfw_user and natfw_user_status when `with_users`).
void write_batch_cells(RowWriter& w, const BatchCells& row, bool with_users);

/// The columns natfw appends to every row.
inline constexpr const char* k_batch_columns[] = {"natfw_status",   "natfw_internal", "natfw_time",   "natfw_node",
                                                   "natfw_snapshot", "natfw_line",     "natfw_message"};

/// Appended after k_batch_columns when the index holds sessions.
inline constexpr const char* k_batch_user_columns[] = {"natfw_user", "natfw_user_status"};

/// Reads complaints (RFC 4180, header row) from `in` and writes every row,
/// in order and with its cells unchanged, followed by the natfw_* columns to
/// `out`. Bad rows get status `error` and the batch goes on. The columns used
/// and, when asked, progress go to `diag`. Memory does not grow with the
/// number of rows. `history` is shared by the worker threads. Throws
/// UsageError when the input has no usable header.
BatchSummary run_batch(std::FILE* in, std::FILE* out, History& history, const TimeParser& times,
                       const BatchOptions& options, std::FILE* diag);

} // namespace natfw
