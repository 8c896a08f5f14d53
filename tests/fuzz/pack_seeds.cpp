// Writes the pack of each ruleset file named on the command line into DIR,
// behind the five bytes the pack target reads its lookup from.
#include "derive/nat_cells.hpp"
#include "derive/ruleset_pack.hpp"
#include "parse/ruleset_parser.hpp"
#include "util/file.hpp"

#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    if (argc < 3) {
        std::cerr << "usage: fuzz_pack_seeds DIR RULESET...\n";
        return 2;
    }
    int written = 0;
    for (int i = 2; i < argc; ++i) {
        auto parsed = natfw::parse_ruleset(natfw::read_file(argv[i]));
        if (parsed.unusable)
            continue;
        auto derived = natfw::derive_ruleset(parsed.nat_rules);
        std::string blob = natfw::encode_pack(natfw::make_pack(parsed.nat_rules, derived.cells, derived.reach));
        std::ofstream(std::string(argv[1]) + "/pack" + std::to_string(written++), std::ios::binary)
            << std::string("\0\x02\x01\xff\x14", 5) << blob;
    }
    return 0;
}
