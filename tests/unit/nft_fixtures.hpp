#pragma once
// The nft fixtures of tests/data/nft beside what nft 1.0.6 listed after
// loading each (`nft -f FILE && nft list ruleset` in a private namespace):
// every reader must make the same of both.
#include "parse/nft_document.hpp"
#include "util/file.hpp"

#include <array>
#include <filesystem>
#include <string>
#include <utility>

namespace natfw::test {

struct NftFixturePair {
    std::string name;
    NftDocument source, listed;
};

inline std::array<NftFixturePair, 3> nft_fixture_pairs()
{
    const auto dir = std::filesystem::path(NATFW_TEST_DATA) / "nft";
    auto pair = [&](const char* source, const char* listed) {
        return NftFixturePair{listed, parse_nft_document(read_file(dir / source)),
                              parse_nft_document(read_file(dir / listed))};
    };
    return {pair("eduvpn3-natfw.nftables.conf", "eduvpn3-natfw.listed.nft"),
            pair("list-ruleset.nft", "list-ruleset.listed.nft"), pair("commands.nft", "commands.listed.nft")};
}

} // namespace natfw::test
