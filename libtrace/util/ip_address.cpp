#include "util/ip_address.hpp"

#include <arpa/inet.h>

#include <array>
#include <cstring>

namespace natfw {

std::optional<std::string> canonical_address(std::string_view text)
{
    // inet_pton needs a terminated string; anything longer is no address.
    std::array<char, INET6_ADDRSTRLEN + 1> buf{};
    if (text.empty() || text.size() >= buf.size())
        return std::nullopt;
    std::memcpy(buf.data(), text.data(), text.size());
    std::array<char, INET6_ADDRSTRLEN> out{};
    in_addr v4{};
    // inet_pton accepts only the dotted quad for AF_INET (no octal, no short
    // forms, no leading zeros), which is the canonical text already.
    if (inet_pton(AF_INET, buf.data(), &v4) == 1)
        return std::string(text);
    in6_addr v6{};
    if (inet_pton(AF_INET6, buf.data(), &v6) != 1)
        return std::nullopt;
    if (IN6_IS_ADDR_V4MAPPED(&v6)) {
        std::memcpy(&v4, &v6.s6_addr[12], 4);
        return std::string(inet_ntop(AF_INET, &v4, out.data(), out.size()));
    }
    return std::string(inet_ntop(AF_INET6, &v6, out.data(), out.size()));
}

const std::optional<std::string>& CanonicalAddresses::operator()(std::string_view text)
{
    if (auto known = m_known.find(text); known != m_known.end())
        return known->second;
    if (m_known.size() >= k_max)
        m_known.clear();
    return m_known.emplace(std::string(text), canonical_address(text)).first->second;
}

bool is_ipv6_local(std::string_view text)
{
    std::array<char, INET6_ADDRSTRLEN + 1> buf{};
    if (text.empty() || text.size() >= buf.size())
        return false;
    std::memcpy(buf.data(), text.data(), text.size());
    in6_addr v6{};
    if (inet_pton(AF_INET6, buf.data(), &v6) != 1)
        return false;
    return IN6_IS_ADDR_LINKLOCAL(&v6) || (v6.s6_addr[0] & 0xfe) == 0xfc;
}

} // namespace natfw
