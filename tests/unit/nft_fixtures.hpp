#pragma once
// The nft fixtures of tests/data/nft beside what nft 1.0.6 listed after
// loading each (`nft -f FILE && nft list ruleset` in a private namespace):
// every reader must make the same of both. Each file is paired with the text
// listing and with the JSON one (`nft -j list ruleset`).
#include "parse/nft_document.hpp"
#include "parse/nft_json.hpp"
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

inline std::array<NftFixturePair, 8> nft_fixture_pairs()
{
    const auto dir = std::filesystem::path(NATFW_TEST_DATA) / "nft";
    auto pair = [&](const char* source, const std::string& stem) {
        return NftFixturePair{stem + ".nft", parse_nft_document(read_file(dir / source)),
                              parse_nft_document(read_file(dir / (stem + ".nft")))};
    };
    auto json_pair = [&](const char* source, const std::string& stem) {
        return NftFixturePair{stem + ".json", parse_nft_document(read_file(dir / source)),
                              parse_nft_json(read_file(dir / (stem + ".json")))};
    };
    return {pair("eduvpn3-natfw.nftables.conf", "eduvpn3-natfw.listed"),
            pair("list-ruleset.nft", "list-ruleset.listed"),
            pair("commands.nft", "commands.listed"),
            pair("ipv6.nft", "ipv6.listed"),
            json_pair("ipv6.nft", "ipv6.listed"),
            json_pair("eduvpn3-natfw.nftables.conf", "eduvpn3-natfw.listed"),
            json_pair("list-ruleset.nft", "list-ruleset.listed"),
            json_pair("commands.nft", "commands.listed")};
}

} // namespace natfw::test
