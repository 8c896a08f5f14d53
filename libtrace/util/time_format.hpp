#pragma once
#include <chrono>
#include <cstdint>
#include <string>

namespace natfw {

using UnixSeconds = std::int64_t;

/// `2020-12-26T12:37:42Z`: the form every answer uses for an instant.
std::string format_iso_utc(UnixSeconds t);
/// The same, appended to `out` (no allocation once `out` has room).
void append_iso_utc(std::string& out, UnixSeconds t);
/// Microseconds since the epoch as `2020-12-26T12:37:42.250000Z` (whole seconds without a fraction).
std::string format_iso_micros(std::int64_t us);
/// The second that holds a time in microseconds (rounded down, also before 1970).
constexpr UnixSeconds seconds_of_micros(std::int64_t us)
{
    return us >= 0 ? us / 1'000'000 : (us - 999'999) / 1'000'000;
}

} // namespace natfw
