#pragma once
// The other NAT direction: which internal host and port a DNAT rule
// forwarded a connection to the public address and port to (port
// forwarding, seed 001). Same evidence and statuses as a source lookup.
#include "query/answer.hpp"
#include "query/evidence_check.hpp"
#include "query/history.hpp"
#include "query/lookup_front.hpp"

namespace natfw {

/// What a DNAT rule's conditions say about the destination, as far as a
/// lookup can tell: `-d`, `--dport`/`--dports`; the rest are "may match".
struct DnatMatch {
    bool destination = true; ///< the -d condition holds the address (or there is none)
    bool port = true;        ///< --dport / --dports hold the port (or there is none)
    std::optional<PortRange> dports; ///< the destination ports named, when one range
    std::vector<std::string> may_match; ///< conditions a lookup cannot evaluate
};

/// Evaluates a DNAT rule's stored conditions for destination `ip` and `port`.
DnatMatch match_dnat(const std::vector<std::string>& conditions, Ipv4 ip, std::uint16_t port);

class InboundTracer {
public:
    explicit InboundTracer(History& history, EvidenceCheck* evidence = nullptr);
    /// Candidates are `HOST:PORT`; throws UsageError for an unknown node.
    Answer lookup(const Query& query);

private:
    void answer_snapshot(const Query& q, UnixSeconds t, SnapshotPtr s, SnapshotPtr successor, Answer& a);

    History& m_history;
    EvidenceWarnings m_evidence;
    std::vector<const NodeRef*> m_nodes;
    std::vector<Rule> m_rules;
};

} // namespace natfw
