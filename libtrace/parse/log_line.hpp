#pragma once
// One line of a syslog file or journal export, split into its time, the
// program that logged it and the message. Forms read (see the README,
// "Connection logs"): journalctl -o short-iso / short-iso-precise /
// short-precise / short / json, RFC 5424, RFC 3164 (with or without <PRI>),
// and rsyslog's RFC 3339 file format.
#include "parse/connection_event.hpp"

#include <string>
#include <string_view>

namespace natfw {

/// A time written without a year (RFC 3164, journalctl short/short-precise),
/// in the log's local zone; the reader supplies year and zone.
struct YearlessTime {
    int month = 0; ///< 1..12
    int day = 0;   ///< 1..31
    std::int64_t micros_of_day = 0;
};

struct LogLine {
    bool has_year = true;
    UnixMicros time = 0; ///< when has_year
    YearlessTime yearless; ///< when not
    std::string tag;     ///< SYSLOG_IDENTIFIER / APP-NAME / the tag before [pid]:
    std::string message;
};

enum class LineVerdict {
    record,    ///< read into the LogLine
    skip,      ///< a blank line or a journalctl marker ("-- Boot ...", "-- No entries --")
    malformed, ///< `problem` says why
};

LineVerdict parse_log_line(std::string_view line, LogLine& out, std::string& problem);

/// Whether the date exists (Feb 29 only in leap years).
bool valid_civil_date(int year, int month, int day);

/// The civil date and time of day in UTC as microseconds since the epoch.
UnixMicros civil_micros(int year, int month, int day, std::int64_t micros_of_day);

} // namespace natfw
