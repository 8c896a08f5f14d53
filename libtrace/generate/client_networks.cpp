#include "generate/client_networks.hpp"

#include "util/number.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>

#include <array>
#include <bit>
#include <charconv>

namespace natfw {

namespace {

constexpr int k_smallest_network = 30; // network, gateway, one client, broadcast

std::uint32_t network_size(int prefix)
{
    return prefix == 0 ? 0 : std::uint32_t{1} << (32 - prefix); // 0 stands for 2^32
}

std::optional<int> parse_number(std::string_view text, int max)
{
    return parse_decimal(text, 0, max);
}

} // namespace

Ipv4 ClientNetwork::last_client() const
{
    return network + (network_size(prefix) - 2);
}

std::string ClientNetwork::cidr() const
{
    return fmt::format("{}/{}", format_ipv4(network), prefix);
}

std::vector<ClientNetwork> parse_network_spec(std::string_view spec)
{
    auto fail = [&](std::string_view why) {
        return UsageError(fmt::format("network \"{}\": {}", spec, why));
    };
    std::string_view cidr = spec;
    std::string_view parts_text;
    if (auto colon = spec.find(':'); colon != std::string_view::npos) {
        cidr = spec.substr(0, colon);
        parts_text = spec.substr(colon + 1);
    }
    auto slash = cidr.find('/');
    if (slash == std::string_view::npos)
        throw fail("expected A.B.C.D/LEN or A.B.C.D/LEN:N");
    auto address = parse_ipv4(cidr.substr(0, slash));
    auto prefix = parse_number(cidr.substr(slash + 1), 32);
    if (!address || !prefix)
        throw fail("expected A.B.C.D/LEN or A.B.C.D/LEN:N");
    Ipv4 mask = *prefix == 0 ? 0 : ~Ipv4{0} << (32 - *prefix);
    if ((*address & ~mask) != 0)
        throw fail(fmt::format("host bits are set; the network is {}/{}", format_ipv4(*address & mask), *prefix));

    int parts = 1;
    if (!parts_text.empty() || spec.find(':') != std::string_view::npos) {
        auto n = parse_number(parts_text, 1 << 30);
        if (!n || *n < 1)
            throw fail("N in CIDR:N must be a whole number of at least 1");
        if (!std::has_single_bit(static_cast<unsigned>(*n)))
            throw fail(fmt::format("N = {} is not a power of two", *n));
        parts = *n;
    }
    int part_prefix = *prefix + std::countr_zero(static_cast<unsigned>(parts));
    if (part_prefix > k_smallest_network)
        throw fail(parts == 1 ? "a client network needs at least 4 addresses (/30 or larger)"
                              : fmt::format("split into {} parts of fewer than 4 addresses each", parts));

    std::vector<ClientNetwork> out;
    out.reserve(static_cast<std::size_t>(parts));
    for (int i = 0; i < parts; ++i)
        out.push_back({*address + static_cast<Ipv4>(i) * network_size(part_prefix), part_prefix});
    return out;
}

bool is_nat_private(const ClientNetwork& network)
{
    struct Space {
        Ipv4 base;
        int prefix;
    };
    static constexpr std::array<Space, 4> k_spaces{{
        {0x0A000000, 8},  // 10.0.0.0/8
        {0xAC100000, 12}, // 172.16.0.0/12
        {0xC0A80000, 16}, // 192.168.0.0/16
        {0x64400000, 10}, // 100.64.0.0/10, shared address space (RFC 6598)
    }};
    for (const auto& s : k_spaces) {
        Ipv4 mask = ~Ipv4{0} << (32 - s.prefix);
        if (network.prefix >= s.prefix && (network.network & mask) == s.base)
            return true;
    }
    return false;
}

} // namespace natfw
