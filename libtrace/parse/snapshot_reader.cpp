#include "parse/snapshot_reader.hpp"

#include "parse/nft_document.hpp"
#include "parse/nft_json.hpp"
#include "parse/nft_ruleset.hpp"
#include "parse/ruleset_parser.hpp"

namespace natfw {

std::string_view snapshot_loader(SnapshotFormat format)
{
    return format == SnapshotFormat::iptables ? "iptables-restore" : "nft -f";
}

SnapshotFormat detect_snapshot_format(std::string_view content)
{
    std::size_t pos = 0;
    while (pos < content.size()) {
        auto end = content.find('\n', pos);
        auto line = content.substr(pos, end == std::string_view::npos ? std::string_view::npos : end - pos);
        pos = end == std::string_view::npos ? content.size() : end + 1;
        auto first = line.find_first_not_of(" \t\r\f\v");
        if (first == std::string_view::npos || line[first] == '#')
            continue;
        line.remove_prefix(first);
        if (line.front() == '{' || line.front() == '[')
            return SnapshotFormat::nft_json;
        if (line.front() == '*' || line.front() == ':' || line.starts_with("-A") || line.starts_with("COMMIT"))
            return SnapshotFormat::iptables;
        return SnapshotFormat::nft_text;
    }
    return SnapshotFormat::iptables;
}

namespace {

/// An nft text file with nothing in it loads, but is no ruleset a generator wrote.
void refuse_empty(std::string_view content, ParsedRuleset& parsed)
{
    if (!parsed.unusable && content.find_first_not_of(" \t\r\n") == std::string_view::npos)
        parsed.unusable = Diagnostic{0, "the file is empty"};
}

} // namespace

ParsedRuleset read_snapshot(std::string_view content, SnapshotFormat format, Family family)
{
    switch (format) {
    case SnapshotFormat::nft_text: {
        auto parsed = nft_nat(parse_nft_document(content), family);
        refuse_empty(content, parsed);
        return parsed;
    }
    case SnapshotFormat::nft_json: return nft_nat(parse_nft_json(content), family);
    default: return parse_ruleset(content, family);
    }
}

std::pair<ParsedRuleset, ParsedRuleset> read_snapshot_both(std::string_view content, SnapshotFormat format)
{
    if (format == SnapshotFormat::iptables)
        return {parse_ruleset(content, Family::ipv4), parse_ruleset(content, Family::ipv6)};
    auto doc = format == SnapshotFormat::nft_text ? parse_nft_document(content) : parse_nft_json(content);
    std::pair<ParsedRuleset, ParsedRuleset> out{nft_nat(doc, Family::ipv4), nft_nat(doc, Family::ipv6)};
    if (format == SnapshotFormat::nft_text) {
        refuse_empty(content, out.first);
        refuse_empty(content, out.second);
    }
    return out;
}

} // namespace natfw
