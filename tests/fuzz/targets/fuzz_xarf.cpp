// XARF reports: every report the reader gives, numbered in order, never
// starting before the line of the one before it.
#include "parse/xarf_reader.hpp"
#include "util/errors.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::string text(reinterpret_cast<const char*>(data), size);
    std::FILE* f = fmemopen(text.data(), text.size(), "r");
    if (!f)
        return 0;
    std::size_t number = 0, line = 0;
    try {
        natfw::read_xarf(f, [&](natfw::XarfReport& r) {
            if (r.number != number + 1 || r.line < line || r.line == 0)
                __builtin_trap();
            number = r.number;
            line = r.line;
        });
    } catch (const natfw::UsageError&) {
        // an input that does not begin with JSON: refused as a whole
    }
    std::fclose(f);
    return 0;
}
