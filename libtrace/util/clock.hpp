#pragma once
// The wall clock in the index's units.
#include <chrono>
#include <cstdint>

namespace natfw {

inline std::int64_t now_seconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

} // namespace natfw
