// nftables text as a snapshot holds it: tokens, defines, blocks, commands,
// each rule read in the terms of Rule, and the IPv4 NAT joined and walked for
// first match. What parses must hold together (nft_document_checks.hpp), and
// every rule has tokens and text taken from the file.
#include "nft_document_checks.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view content(reinterpret_cast<const char*>(data), size);
    auto doc = natfw::parse_nft_document(content);
    if (!doc.unusable)
        natfw::fuzz::check_nft_document(doc, [&](const natfw::NftRule& rule) {
            return !rule.tokens.empty() && !rule.text.empty() && rule.text.size() <= content.size();
        });
    return 0;
}
