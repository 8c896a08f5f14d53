#pragma once
// From a user to what their traffic looked like outside: each of their
// sessions with the public address and port blocks its IPv4 address had
// while they held it (natfw-trace --user).
#include "query/forward_lookup.hpp"
#include "query/session_history.hpp"

namespace natfw {

struct UserSession {
    SessionRecord session;
    /// The NAT periods of the session's IPv4 and IPv6 addresses that overlap the
    /// session, each as the history records it (not cut to the session).
    std::vector<AddressPeriod> periods;
};

struct UserQuery {
    std::string user;
    /// Sessions overlapping [from, until]; whole seconds (`until` takes in its whole second).
    std::optional<UnixMicros> from, until;
    std::string node;                      ///< empty: every node
};

/// The user's sessions, oldest first. Throws UsageError for an unknown node.
/// `timeline6`: also the periods of each session's IPv6 address (null: IPv4 only).
std::vector<UserSession> user_sessions(SessionHistory& sessions, History& history, Timeline6* timeline6,
                                       const UserQuery& query);

} // namespace natfw
