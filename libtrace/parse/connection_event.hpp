#pragma once
// One CONNECT or DISCONNECT of a VPN client, as a connection log, the
// portal's database or its connect script reported it.
#include <cstdint>
#include <string>

namespace natfw {

/// Microseconds since the epoch: the journal's resolution.
using UnixMicros = std::int64_t;

enum class EventKind { connect, disconnect };

struct ConnectionEvent {
    UnixMicros time = 0;
    EventKind kind = EventKind::connect;
    std::string user;
    std::string profile;
    std::string connection; ///< OpenVPN certificate CN or WireGuard public key
    std::string vpn_proto;  ///< "openvpn", "wireguard", or empty when the source does not say
    std::string ip4;        ///< empty when unknown (DISCONNECT lines carry no address)
    std::string ip6;
    std::string originating; ///< empty when not recorded ("*")
    /// Where it was read: a line number, or for the portal's database the
    /// row's connected_at in microseconds (its content is its identity).
    std::int64_t position = 0;
};

} // namespace natfw
