// One rule line of the *nat table, as the ruleset reader hands it over.
#include "parse/rule_parser.hpp"
#include "util/tokenize.hpp"

#include <cstddef>
#include <cstdint>
#include <set>
#include <span>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const std::set<std::string> chains{"vpn", "C1", "RETURN_HERE"};
    auto tok = natfw::tokenize({reinterpret_cast<const char*>(data), size});
    if (!tok.ok)
        return 0;
    natfw::Rule rule;
    natfw::parse_rule_options(std::span<const natfw::Token>(tok.tokens), chains, rule);
    return 0;
}
