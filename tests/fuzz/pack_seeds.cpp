// Writes the pack of each ruleset file named on the command line into DIR,
// behind the five bytes the pack target reads its lookup from: once as
// stored, once as the layout under its compression (the first byte odd: the
// target seals it). With --rule-blocks, the layout of each file's rule
// blocks instead, behind the byte that has the rule_block target seal it;
// with --cell-blocks, the layout of its cell blocks behind that byte and the
// block's key, as the cell_block target reads them.
#include "derive/nat_cells.hpp"
#include "derive/ruleset_pack.hpp"
#include "parse/ruleset_parser.hpp"
#include "store/cell_block.hpp"
#include "store/rule_block.hpp"
#include "util/file.hpp"
#include "util/zstd_frame.hpp"

#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

int main(int argc, char** argv)
{
    const bool rule_blocks = argc > 1 && std::string(argv[1]) == "--rule-blocks";
    const bool cell_blocks = argc > 1 && std::string(argv[1]) == "--cell-blocks";
    const int first = rule_blocks || cell_blocks ? 2 : 1;
    if (argc < first + 2) {
        std::cerr << "usage: fuzz_pack_seeds [--rule-blocks|--cell-blocks] DIR RULESET...\n";
        return 2;
    }
    const std::string dir = argv[first];
    constexpr std::size_t k_max = std::size_t{1} << 30;
    int written = 0;
    auto write = [&](const std::string& name, const std::string& bytes) {
        std::ofstream(dir + "/" + name + std::to_string(written++), std::ios::binary) << bytes;
    };
    for (int i = first + 1; i < argc; ++i) {
        auto parsed = natfw::parse_ruleset(natfw::read_file(argv[i]));
        if (parsed.unusable)
            continue;
        if (rule_blocks) {
            for (const auto& b : natfw::encode_rule_blocks(parsed.nat_rules))
                write("block", "\x01" + natfw::zstd_decompress(b.body, k_max, "rule block"));
            continue;
        }
        auto derived = natfw::derive_ruleset(parsed.nat_rules);
        if (cell_blocks) {
            for (const auto& b : natfw::encode_cell_blocks(derived.cells)) {
                std::string key(7, '\0');
                key[0] = static_cast<char>(b.key.proto);
                std::memcpy(key.data() + 1, &b.key.pub_lo, 4);
                std::memcpy(key.data() + 5, &b.key.port_lo, 2);
                write("cells", "\x01" + key + natfw::zstd_decompress(b.body, k_max, "cell block"));
            }
            continue;
        }
        std::string blob = natfw::encode_pack(natfw::make_pack(parsed.nat_rules, derived.cells, derived.reach));
        write("pack", std::string("\0\x02\x01\xff\x14", 5) + blob);
        write("layout", std::string("\x01\x02\x01\xff\x14", 5) + natfw::zstd_decompress(blob, k_max, "pack"));
    }
    return 0;
}
