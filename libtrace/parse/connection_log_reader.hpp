#pragma once
// Reads a connection log (plain or gzip; any form parse_log_line knows) into
// CONNECT/DISCONNECT events, streaming: memory does not grow with its lines.
// Lines without a year (RFC 3164, journalctl short) get one from the file:
// its last line is not later than its modification time, and the lines are
// in order, so a month that falls by six or more from one line to the next
// is a year end.
#include "parse/connection_event.hpp"
#include "parse/log_line.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace date {
class time_zone;
}

namespace natfw {

/// Where an earlier read of the same file stopped.
struct LogResume {
    std::int64_t offset = 0; ///< bytes of the (uncompressed) text already read
    std::int64_t line = 0;   ///< lines already read
    /// For lines without a year: the year and month of the last one read (0: none yet).
    int year = 0;
    int month = 0;
    UnixMicros last_time = 0;
};

struct LogReadOptions {
    /// The program whose messages count (the portal's syslog tag).
    std::string tag = "vpn-user-portal";
    /// Zone of lines without an offset (RFC 3164, short-precise); resolved on first need.
    const date::time_zone* zone = nullptr;
    std::string zone_name;
    /// --log-year: the year of the file's first line without a year, instead of the guess.
    std::optional<int> first_year;
    /// The newest time the file's last line may have: its modification time.
    UnixMicros not_after = 0;
    LogResume resume;
};

struct LogProblem {
    std::int64_t line = 0;
    std::string message;
};

struct LogReadResult {
    std::int64_t lines = 0;     ///< lines read this time
    std::int64_t events = 0;    ///< CONNECT/DISCONNECT events
    std::int64_t malformed = 0; ///< lines that are not log lines, or broken events of ours
    std::vector<LogProblem> first_problems; ///< the first few, with their line
    std::int64_t backwards = 0; ///< lines earlier than the line before (by more than a second)
    std::optional<LogProblem> first_backwards;
    std::string year_note; ///< how years were found for lines without one; empty when none needed it
    LogResume end;         ///< where to resume next time
    bool compressed = false;
};

inline constexpr std::size_t k_problems_shown = 5;

/// Reads from `fd` (not closed; a gzip stream is recognised by its magic);
/// calls `on_event` for every event in order. Throws FileError when the
/// stream cannot be read, or a file of lines without a year cannot be read
/// twice (the caller spools standard input to a file first).
LogReadResult read_connection_log(int fd, const std::string& name, const LogReadOptions& options,
                                  const std::function<void(const ConnectionEvent&)>& on_event);

/// The protocol a connection id belongs to when the source does not say:
/// a WireGuard public key (44 base64 characters ending in '=') or else OpenVPN.
std::string infer_vpn_proto(const std::string& connection);

} // namespace natfw
