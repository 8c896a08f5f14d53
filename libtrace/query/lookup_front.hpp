#pragma once
// The steps every lookup shares, whatever it reads (source NAT, --inbound,
// --internal, and later the VPN's sessions): which nodes it asks about, the
// evidence warnings of the snapshots an answer cites, and why it found nothing.
#include "query/answer.hpp"
#include "query/evidence_check.hpp"
#include "query/history.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace natfw {

/// The nodes a query asks about: every node, or the one named `only`.
/// Throws UsageError naming the index's nodes when it has no such node.
void select_nodes(History& history, const std::string& only, std::vector<const NodeRef*>& out);

/// Adds the warning of every cited snapshot whose file is no longer as
/// indexed. `seen` belongs to one thread and spares the check's shared lock.
class EvidenceWarnings {
public:
    explicit EvidenceWarnings(EvidenceCheck* check) : m_check(check) {}
    void add_to(Answer& answer);

private:
    EvidenceCheck* m_check;
    std::unordered_map<std::int64_t, const std::string*> m_seen;
};

/// "`what` 192.0.2.1 tcp/udp port 65300 at 2020-12-26T12:37:42Z: `details`"
/// (from .. to .. for a window): why a lookup found nothing.
std::string none_reason(std::string_view what, const Query& query, const std::vector<std::string>& details);

/// The protocols a query looks up: its --proto, else tcp and udp (6, 17).
std::span<const int> query_protocols(const Query& query);

/// "tcp" or "udp".
const char* proto_name(int proto);

// The warnings both timelines give, worded once. `family` is "" for IPv4 and
// "IPv6 " for the IPv6 timeline.

/// An unusable snapshot in the period; `answered_from` names what answers instead.
std::string unusable_warning(const UnusableRef& unusable, std::string_view answered_from);

/// A doubtful snapshot, and the earlier rulesets that answer with it (none: it alone).
std::string doubt_warning(const SnapshotMeta& doubtful, const std::vector<std::string>& considered,
                          std::string_view family);

/// Earlier rules take part of a candidate rule's source.
std::string reach_warning(std::string_view path, int line, std::string_view internal, std::string_view excluded,
                          std::span<const int> taken_by);

/// A ruleset change near the instant gives the port to other sources (`there`; `now` at the instant).
std::string nearby_change_warning(std::string_view family, UnixSeconds change_at, UnixSeconds instant,
                                  std::string_view path, std::uint16_t port, const std::vector<std::string>& there,
                                  const std::vector<std::string>& now);

} // namespace natfw
