#pragma once
// The other direction: which public address, protocol and port block an
// internal address had, and when ("which ports did this user's address use
// last March?").
#include "query/history.hpp"
#include "query/timeline6.hpp"
#include "util/ipv6.hpp"

#include <optional>
#include <string>
#include <vector>

namespace natfw {

/// A stretch of a node's history in which one rule gave the address the
/// same public address, protocol and port block. Consecutive snapshots with
/// the same mapping are one period; `first` and `last` are its evidence.
struct AddressPeriod {
    std::string node;
    /// The public address or range, as text; none: MASQUERADE (the interface's address).
    std::optional<std::string> public_addresses;
    std::string proto;                         ///< tcp or udp
    std::optional<PortRange> ports;            ///< none: every port (no port block)
    std::string source;                        ///< the rule's source as it reaches the rule (may be shared)
    bool shared = false;                       ///< the source holds other addresses too
    UnixSeconds valid_from = 0;
    std::optional<UnixSeconds> valid_to;
    SnapshotMeta first;
    int first_line = 0;
    std::string first_rule;
    SnapshotMeta last; ///< the last snapshot of the period (== first when one)
    int snapshots = 1;
};

struct ForwardQuery {
    Ipv4 address = 0;
    /// An IPv6 internal address: its node's IPv6 timeline is searched instead.
    std::optional<Ipv6> address6;
    /// The address as people read it.
    std::string address_text() const { return address6 ? format_ipv6(*address6) : format_ipv4(address); }
    std::optional<UnixSeconds> from, until; ///< periods overlapping [from, until]
    std::string node;                       ///< empty: every node
};

/// Periods per node, oldest first. Throws UsageError for an unknown node.
std::vector<AddressPeriod> forward_lookup(History& history, const ForwardQuery& query);

/// The same for `query.address6`, from each node's IPv6 timeline.
std::vector<AddressPeriod> forward_lookup6(Timeline6& timeline, History& history, const ForwardQuery& query);

} // namespace natfw
