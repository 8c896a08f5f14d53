#pragma once
// The VPN client networks a generated ruleset gives port blocks to, as the
// eduVPN profiles define them: a CIDR per VPN process, or a profile range
// split into N equal process networks.
#include "util/ipv4.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// One process network. Its first host (network + 1) is the VPN server's
/// gateway address; clients are network + 2 up to the last host.
struct ClientNetwork {
    Ipv4 network = 0;
    int prefix = 0; ///< at most 30, so there is at least one client

    Ipv4 first_client() const { return network + 2; }
    Ipv4 last_client() const;
    std::uint32_t client_count() const { return last_client() - first_client() + 1; }
    std::string cidr() const;
};

/// Parses `A.B.C.D/LEN` (one network) or `A.B.C.D/LEN:N` (split into N equal
/// networks, N a power of two, each at least a /30). Host bits must be clear.
/// Throws UsageError saying what is wrong.
std::vector<ClientNetwork> parse_network_spec(std::string_view spec);

/// Whether the whole network lies in RFC 1918 space or 100.64.0.0/10 (shared
/// address space), the ranges a VPN server NATs.
bool is_nat_private(const ClientNetwork& network);

} // namespace natfw
