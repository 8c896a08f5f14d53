#pragma once
// Answers "which internal address had this public IPv6 address and port" from
// each node's IPv6 timeline (query/timeline6.hpp), as Tracer does for IPv4:
// the ruleset in force (every one in a --skew/--flow-age window), first
// match, SNAT targets and port blocks, MASQUERADE by the node's recorded
// address. IPv6 rulesets are small, so each is evaluated whole when first
// used instead of being cut into cells at index time. NAT66 over a prefix
// names the prefix: the answer is ambiguous unless sessions narrow it.
#include "derive/first_match6.hpp"
#include "query/answer.hpp"
#include "query/lookup_front.hpp"
#include "query/timeline6.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace natfw {

class Nat6Tracer {
public:
    Nat6Tracer(Timeline6& timeline, History& history, bool with_details = true, EvidenceCheck* evidence = nullptr);

    /// Whether any node has an IPv6 timeline to search.
    bool indexed() { return m_timeline.any(); }
    /// `q.address` is the IPv6 public address, `q.port` the port. Throws
    /// UsageError when the query names a node the index does not know.
    void lookup(const Query& q, Answer& out);

private:
    void answer_node(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip, Answer& a,
                     std::vector<std::string>& none_details);
    /// Returns whether the snapshot maps the port to some source.
    bool answer_snapshot(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip, SnapshotPtr s,
                         SnapshotPtr successor, Answer& a, std::vector<std::string>& none_details);
    /// A doubtful snapshot: the earlier IPv6 rulesets that could have stayed in force answer too.
    void answer_earlier(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip, SnapshotPtr doubtful, Answer& a,
                        std::vector<std::string>& none_details);
    /// The distinct sources a snapshot gives the port (for nearby-change warnings).
    std::vector<std::string> sources_in(const SnapshotMeta& s, const Query& q, Ipv6 ip);
    void warn_nearby_changes(const Query& q, UnixSeconds t, const NodeRef& node, Ipv6 ip, SnapshotPtr in_force,
                             SnapshotPtr successor, Answer& a);
    const ReachMap6& reach(std::int64_t ruleset6_id);

    Timeline6& m_timeline;
    History& m_history;
    bool m_with_details;
    EvidenceWarnings m_evidence;
    std::map<std::int64_t, ReachMap6> m_reach;
    std::vector<const NodeRef*> m_nodes;
};

/// The front's step for an IPv6 address with a port: answered from the IPv6
/// timelines when the index has one, else (as before there were any) as a
/// VPN client's own address, `q.client` then set.
void answer_ipv6_nat(Nat6Tracer& nat6, Query& q, Answer& a);

/// An IPv6 answer of none for a global address from an index without IPv6
/// NAT rules says that none were searched.
void note_ipv6_nat_unindexed(Nat6Tracer& nat6, const Query& q, Answer& a);

} // namespace natfw
