#pragma once
// Sessions from connection events: who held which VPN address when.
//   - The same event reported by several sources (journal, the portal's
//     database, the connect hook) is one: same connection id and kind, from
//     different sources, times within k_same_event_window.
//   - CONNECT then DISCONNECT of one connection id is a session.
//   - A CONNECT without its DISCONNECT ends, by inference, when the same
//     connection connects again or its address is handed out again; else it
//     is still open.
//   - A DISCONNECT without an earlier CONNECT (the log starts after it) is a
//     session with an unknown start.
#include "parse/connection_event.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

/// Sources disagree by whole seconds (the database) and their own clocks (the hook).
inline constexpr UnixMicros k_same_event_window = 5'000'000;

struct SourcedEvent {
    ConnectionEvent event;
    std::int64_t id = 0;        ///< its row in the index
    std::int64_t source_id = 0; ///< the file, database or spool it came from
};

enum class SessionEnd { open, disconnect, inferred };

struct Session {
    std::string user, profile, connection, vpn_proto, ip4, ip6, originating;
    std::optional<UnixMicros> connected_at;    ///< none: before the source starts
    std::optional<UnixMicros> disconnected_at; ///< none: still open
    SessionEnd ended_by = SessionEnd::open;
    std::string inferred_why; ///< for an inferred end: what ended it
    std::vector<std::int64_t> evidence; ///< the ids of every event it is made of
};

/// `events` in any order; sessions ordered by connection id, then time.
std::vector<Session> build_sessions(std::vector<SourcedEvent> events);

} // namespace natfw
