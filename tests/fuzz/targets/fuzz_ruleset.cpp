// The whole path of a snapshot file: read, check, derive cells and packs;
// the same bytes read as ip6tables-save and walked for IPv6 first match.
#include "derive/first_match6.hpp"
#include "derive/nat_cells.hpp"
#include "derive/ruleset_checks.hpp"
#include "derive/ruleset_pack.hpp"
#include "parse/ruleset_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    auto six = natfw::parse_ruleset(text, natfw::Family::ipv6);
    if (!six.unusable)
        for (const auto& [key, reach] : natfw::evaluate_first_match6(six.nat_rules))
            for (const auto& r : reach.reach)
                if (r.hi < r.lo)
                    __builtin_trap(); // a piece read back upside down
    auto parsed = natfw::parse_ruleset(text);
    if (parsed.unusable)
        return 0;
    auto derived = natfw::derive_ruleset(parsed.nat_rules);
    natfw::check_ruleset(parsed.nat_rules, derived.reach, derived.cells);
    auto pack = natfw::decode_pack(natfw::encode_pack(natfw::make_pack(parsed.nat_rules, derived.cells, derived.reach)));
    if (!pack)
        __builtin_trap(); // what the indexer writes, a lookup must read back
    return 0;
}
