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
// The builder streams: it holds the sessions still open and the events of the
// last k_same_event_window, never the whole log.
#include "parse/connection_event.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/container/flat_hash_map.h>
#include <absl/container/inlined_vector.h>

namespace natfw {

/// Sources disagree by whole seconds (the database) and their own clocks (the hook).
inline constexpr UnixMicros k_same_event_window = 5'000'000;

struct SourcedEvent {
    ConnectionEvent event;
    std::int64_t id = 0;        ///< its row in the index
    std::int64_t source_id = 0; ///< the file, database or spool it came from
};

/// The order the builder takes events in: by time; at one instant a
/// DISCONNECT before a CONNECT (a reconnect), then by source and row.
bool event_order(const SourcedEvent& a, const SourcedEvent& b);

enum class SessionEnd { open, disconnect, inferred };

struct Session {
    std::string user, profile, connection, vpn_proto, ip4, ip6, originating;
    std::optional<UnixMicros> connected_at;    ///< none: before the source starts
    std::optional<UnixMicros> disconnected_at; ///< none: still open
    SessionEnd ended_by = SessionEnd::open;
    std::string inferred_why; ///< for an inferred end: what ended it
    std::vector<std::int64_t> evidence; ///< the ids of every event it is made of
};

class SessionBuilder {
public:
    using Sink = std::function<void(Session&&)>;
    /// Each session goes to `sink` once it can no longer change.
    explicit SessionBuilder(Sink sink);
    /// Events in event_order.
    void add(SourcedEvent&& e);
    /// The sessions still open: ended by inference where their address was
    /// handed out again, else open.
    void finish();

private:
    /// One event after the reports of other sources are folded into it.
    struct Merged {
        ConnectionEvent event;
        std::vector<std::int64_t> ids;
        std::vector<std::int64_t> sources;
    };
    /// A session without a DISCONNECT yet, and the first later start of its address.
    struct Open {
        Session session;
        std::optional<UnixMicros> reused_at;
        std::string reused_why;
    };

    /// A session begun by the event (its end still to be set).
    static Session session_of(Merged&& m);
    void settle_before(UnixMicros t);
    /// Takes what it keeps of `m` (moved from, left for the caller to drop).
    void on_event(Merged& m);
    void close(std::size_t slot);
    void note_start(std::size_t slot);
    /// Takes the session off the lists of its addresses' holders, where it still is.
    void forget_address(std::size_t slot);

    Sink m_sink;
    std::deque<Merged> m_recent;                             ///< in event order; may still absorb reports
    std::uint64_t m_recent_base = 0;                         ///< the sequence number of m_recent.front()
    // Flat maps: each event looks a connection up several times, and the
    // node walks of std::unordered_map were 40% of the builder's time.
    // The connection maps' keys are views of the text of the entry or session
    // they lead to (a deque's elements stay where they are), so no key is
    // copied.
    absl::flat_hash_map<std::string_view, std::uint64_t> m_latest; ///< connection -> its newest entry of m_recent
    std::deque<std::optional<Open>> m_open;                       ///< slots; freed slots are reused
    std::vector<std::size_t> m_free;
    absl::flat_hash_map<std::string_view, std::size_t> m_open_by_connection;
    /// Address -> its holders that may still end (most often one). The key
    /// is a copy: the session whose text it would view may end before the others.
    absl::flat_hash_map<std::string, absl::InlinedVector<std::size_t, 2>> m_open_by_address;
};

/// `events` in any order; sessions ordered by connection id, then time.
std::vector<Session> build_sessions(std::vector<SourcedEvent> events);

} // namespace natfw
