#pragma once
// What a lookup answers, before it is presented as text, JSON or CSV.
#include "query/history.hpp"
#include "query/session_history.hpp"
#include "parse/ruleset.hpp"
#include "util/time_format.hpp"

#include <optional>
#include <string>
#include <vector>

namespace natfw {

enum class Status { unique, none, ambiguous };

std::string_view status_name(Status s);

struct Query {
    std::string input;                 ///< the time as the user wrote it
    std::vector<UnixSeconds> instants; ///< 1, or 2 in a DST overlap (earlier first)
    std::string zone;                  ///< how the time was read
    Ipv4 ip = 0;
    std::uint16_t port = 0; ///< 0 when not given (client addresses only)
    /// The queried address in canonical form (IPv4 dotted, IPv6 compressed).
    std::string address;
    /// The address is a VPN client's own (IPv6, or an IPv4 that no ruleset
    /// NATs to): answered from the sessions, the port and protocol do not matter.
    bool client = false;
    std::string proto; ///< "tcp", "udp", or empty for both
    std::string node;  ///< restrict to this node; empty for all
    /// --skew / --flow-age: every snapshot in force in [t - before, t + after]
    /// gives candidates. Both 0: the instant alone.
    /// --inbound: the address and port are a connection's destination (DNAT).
    bool inbound = false;
    UnixSeconds window_before = 0;
    UnixSeconds window_after = 0;
    bool has_window() const { return window_before != 0 || window_after != 0; }
};

/// The queried address as text: `address`, or `ip` for queries built without it.
std::string query_address(const Query& q);

/// A rule that could have produced the public address and port, with the
/// evidence a desk needs to show it.
struct Candidate {
    std::string internal; ///< address, CIDR, range, or !NET
    bool single_host = false;
    /// The address as a number when single_host and IPv4 and the tracer knew
    /// it so (a batch row then finds its sessions without parsing `internal`).
    std::optional<Ipv4> host4;
    /// Addresses inside `internal` that earlier rules take, so never this
    /// rule's (e.g. "10.0.0.2-10.0.0.3"); empty when none.
    std::string excluded;
    SnapshotPtr snapshot = nullptr; ///< node, file, SHA-256, in force from; null for a client's own address
    std::optional<UnixSeconds> valid_to; ///< none: still in force
    int line = 0;
    std::string rule; ///< the rule's text (empty when the tracer skips details)
    std::string proto; ///< the protocol looked up: tcp or udp
    PortRange ports;
    std::vector<std::string> conditions; ///< "may match" conditions of the rule
    UnixSeconds instant = 0;             ///< which of the query's instants it answers
    /// The VPN sessions that held this candidate's address(es) at the instant or in the window.
    std::vector<SessionRecord> sessions;
};

enum class UserStatus { unique, ambiguous, none, unknown };
std::string_view user_status_name(UserStatus s);

/// Who was behind the candidate addresses, from the VPN's sessions.
struct UserAnswer {
    UserStatus status = UserStatus::unknown;
    std::optional<std::string> user; ///< when unique
    std::vector<std::string> users;  ///< every user that held a candidate address, sorted
    /// Why the status is what it is, for people (how a user was singled out,
    /// which sources cover which period).
    std::string reason;
};

struct Answer {
    Status status = Status::none;
    std::vector<Candidate> candidates;
    std::vector<std::string> warnings;
    /// Why the status is none or ambiguous, for people.
    std::string reason;
    /// Nullopt when the index holds no session source at all.
    std::optional<UserAnswer> users;
    /// The address when unique.
    std::optional<std::string> internal() const;
    /// Empties the answer, keeping its storage for the next lookup.
    void clear();
    /// Sets `users` to an empty answer whose list has the memory clear() kept of the last one.
    UserAnswer& reuse_users();

private:
    /// The list of the last `users`, kept by clear(): a batch row's one-user list keeps its memory.
    std::vector<std::string> m_spare_list;
};

/// Adds a warning unless the answer has it already.
void add_warning(Answer& a, std::string w);

} // namespace natfw
