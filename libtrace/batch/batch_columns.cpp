#include "batch/batch_columns.hpp"

#include "util/errors.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <array>
#include <cctype>

namespace natfw {

namespace {

std::string normalise(std::string_view name)
{
    // Spreadsheets add a BOM or blanks around names; compare what is left.
    if (name.substr(0, 3) == "\xEF\xBB\xBF")
        name.remove_prefix(3);
    name = trim(name);
    std::string out;
    for (char c : name)
        out += (c == '-' || c == ' ') ? '_' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

template <std::size_t N>
std::optional<std::size_t> find(const std::vector<std::string>& normalised, const std::string& explicit_name,
                                const std::array<const char*, N>& aliases, const char* what, const char* option,
                                bool required, const std::vector<std::string>& header)
{
    auto index_of = [&](const std::string& name) -> std::optional<std::size_t> {
        for (std::size_t i = 0; i < normalised.size(); ++i)
            if (normalised[i] == name)
                return i;
        return std::nullopt;
    };
    if (!explicit_name.empty()) {
        if (auto i = index_of(normalise(explicit_name)))
            return i;
        throw UsageError(fmt::format("the CSV header has no column \"{}\" (for the {}); it has: {}", explicit_name,
                                     what, fmt::join(header, ", ")));
    }
    for (const char* alias : aliases)
        if (auto i = index_of(alias))
            return i;
    if (required)
        throw UsageError(fmt::format("the CSV header names no {} column (looked for {}; name it with {}); it has: {}",
                                     what, fmt::join(aliases, ", "), option, fmt::join(header, ", ")));
    return std::nullopt;
}

} // namespace

std::string BatchColumns::describe(const std::vector<std::string>& header) const
{
    return fmt::format("time={} ip={} port={} protocol={}", header[time], header[ip], header[port],
                       proto ? header[*proto] : std::string("(none: both tcp and udp)"));
}

BatchColumns find_columns(const std::vector<std::string>& header, const ColumnNames& names)
{
    std::vector<std::string> normalised;
    for (const auto& h : header)
        normalised.push_back(normalise(h));
    // Names that say "source" win over generic ones: an export may carry both
    // the complaint's source port and the attacked service's `port`.
    constexpr std::array time_aliases{"time", "timestamp", "reported_at", "date", "first_seen"};
    constexpr std::array ip_aliases{"src_ip", "source_ip", "source_identifier", "source", "ip", "public_ip"};
    constexpr std::array port_aliases{"src_port", "source_port", "sport", "port"};
    constexpr std::array proto_aliases{"proto", "protocol"};
    BatchColumns c;
    c.time = *find(normalised, names.time, time_aliases, "time", "--time-col", true, header);
    c.ip = *find(normalised, names.ip, ip_aliases, "address", "--ip-col", true, header);
    c.port = *find(normalised, names.port, port_aliases, "port", "--port-col", true, header);
    c.proto = find(normalised, names.proto, proto_aliases, "protocol", "--proto-col", false, header);
    return c;
}

} // namespace natfw
