#pragma once
// natfw-trace --xarf: XARF v4 abuse reports answered one by one, as batch
// rows are, written as JSON lines (each the single lookup's object after
// the report's place in the input) or as CSV.
#include "batch/batch.hpp"

#include <cstdio>

namespace natfw {

enum class XarfOutput { json_lines, csv };

/// The reported fields a CSV answer repeats before the natfw_* columns.
inline constexpr const char* k_xarf_columns[] = {"report",   "line",      "report_id",  "source_identifier",
                                                 "source_port", "protocol", "timestamp", "first_seen",
                                                 "last_seen"};

struct XarfSummary {
    BatchSummary counts;
    std::size_t skipped_lines = 0; ///< passed over after syntax errors
};

/// Answers every report in `in` and writes one answer per report, in input
/// order, to `out`. Reports that cannot be read or answered get status
/// `error` and the run goes on; memory does not grow with the number of
/// reports. Throws UsageError when the input is empty or not JSON.
XarfSummary run_xarf(std::FILE* in, std::FILE* out, History& history, const TimeParser& times,
                     BatchOptions options, XarfOutput format);

} // namespace natfw
