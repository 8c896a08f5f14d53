// Complaint batches: every record the reader returns, with its flags.
#include "util/csv.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    std::string text(reinterpret_cast<const char*>(data), size);
    // Small chunks: records spanning buffer boundaries are where readers slip.
    for (std::size_t chunk : {3UL, 4096UL}) {
        std::FILE* f = fmemopen(text.data(), text.size(), "r");
        if (!f)
            return 0;
        natfw::CsvReader reader(f, 0, chunk);
        std::vector<std::string_view> cells;
        std::size_t bytes = 0;
        while (reader.next(cells)) {
            bytes += reader.raw_record().size();
            if (bytes > size)
                __builtin_trap(); // records never hold more than the input
        }
        std::fclose(f);
    }
    return 0;
}
