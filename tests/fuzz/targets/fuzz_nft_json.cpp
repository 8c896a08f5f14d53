// nft -j JSON as a snapshot holds it: the document, each rule written back as
// nft text and read in the terms of Rule, and the IPv4 NAT joined and walked
// for first match. What reads must hold together (nft_document_checks.hpp),
// and a JSON rule sits on one line.
#include "nft_document_checks.hpp"
#include "parse/nft_json.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string_view content(reinterpret_cast<const char*>(data), size);
    auto doc = natfw::parse_nft_json(content);
    if (!doc.unusable)
        natfw::fuzz::check_nft_document(doc, [](const natfw::NftRule& rule) { return rule.last_line == rule.line; });
    return 0;
}
