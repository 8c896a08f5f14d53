// Times as analysts paste them, read in a fixed zone.
#include "util/errors.hpp"
#include "util/time_parse.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const natfw::TimeParser parser("Europe/Amsterdam");
    try {
        parser.parse({reinterpret_cast<const char*>(data), size});
    } catch (const natfw::UsageError&) {
        // refusing is fine; anything else escapes and is a finding
    }
    return 0;
}
