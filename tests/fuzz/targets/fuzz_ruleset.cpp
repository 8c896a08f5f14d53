// The whole path of a snapshot file: read, check, derive cells and packs.
#include "derive/nat_cells.hpp"
#include "derive/ruleset_checks.hpp"
#include "derive/ruleset_pack.hpp"
#include "parse/ruleset_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    auto parsed = natfw::parse_ruleset({reinterpret_cast<const char*>(data), size});
    if (parsed.unusable)
        return 0;
    auto derived = natfw::derive_ruleset(parsed.nat_rules);
    natfw::check_ruleset(parsed.nat_rules, derived.reach, derived.cells);
    auto pack = natfw::decode_pack(natfw::encode_pack(natfw::make_pack(parsed.nat_rules, derived.cells, derived.reach)));
    if (!pack)
        __builtin_trap(); // what the indexer writes, a lookup must read back
    return 0;
}
