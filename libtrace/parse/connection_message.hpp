#pragma once
// The message text vpn-user-portal logs for a connection:
//   CONNECT USER (PROFILE:CONNECTION) [ORIGINATING => IP4,IP6] [AUTH_DATA=...]
//   DISCONNECT USER (PROFILE:CONNECTION)
#include "parse/connection_event.hpp"
#include "util/ip_address.hpp"

#include <string>
#include <string_view>

namespace natfw {

enum class MessageVerdict {
    event,     ///< a CONNECT or DISCONNECT, read into the event
    unrelated, ///< some other message of the portal: not ours to count
    malformed, ///< starts like one of ours but is not: `problem` says why
};

/// Reads `text` into `out` (kind, user, profile, connection, addresses); the
/// time and position are the caller's. Addresses are checked and written in
/// their canonical form, through `addresses` when given (a reader of many lines).
MessageVerdict parse_connection_message(std::string_view text, ConnectionEvent& out, std::string& problem,
                                        CanonicalAddresses* addresses = nullptr);

} // namespace natfw
