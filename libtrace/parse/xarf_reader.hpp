#pragma once
// XARF v4 abuse reports (JSON), read as a stream: one report, a JSON array
// of reports, JSON lines, or several of these one after another. Only the
// fields a trace needs are kept; the rest of each report is skipped as it is
// read, so memory does not grow with the input.
#include <cstddef>
#include <cstdio>
#include <functional>
#include <string>

namespace natfw {

struct XarfReport {
    std::size_t number = 0; ///< 1-based, in input order
    std::size_t line = 0;   ///< where the report's text starts
    /// The fields as written (numbers in their decimal form); empty when absent or null.
    std::string report_id, source_identifier, source_port, protocol, timestamp, first_seen, last_seen;
    /// Why the report cannot be answered (malformed JSON, a field of the wrong
    /// type, not an object); empty when it was read.
    std::string error;
};

struct XarfReadSummary {
    std::size_t reports = 0;
    std::size_t skipped_lines = 0; ///< passed over to find the next report after a syntax error
};

/// Reads every report from `in`, calling `on_report` for each, in order (a
/// report with `error` set too). A syntax error gives one error report; reading
/// goes on at the next line that starts with `{` or `[`. Throws UsageError when
/// the input is empty or does not begin with a JSON object or array.
XarfReadSummary read_xarf(std::FILE* in, const std::function<void(XarfReport&)>& on_report);

} // namespace natfw
