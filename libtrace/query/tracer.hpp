#pragma once
// Answers "which internal address had this public address and port at this
// time" from the indexed history, with the evidence for every candidate.
#include "query/answer.hpp"
#include "query/evidence_check.hpp"
#include "query/history.hpp"
#include "query/lookup_front.hpp"

#include <string>
#include <unordered_map>
#include <vector>

namespace natfw {

/// A ruleset change this close to the instant that maps the port elsewhere
/// earns a warning (the complaint's clock may be off).
inline constexpr UnixSeconds k_change_window = 300;

class Tracer {
public:
    /// `with_details`: give every candidate its rule text and may-match
    /// conditions (single lookups); batches, which print neither, skip them.
    /// `evidence`: also check the cited snapshot files (warnings when one is
    /// missing or changed); shared between tracers of one batch.
    explicit Tracer(History& history, bool with_details = true, EvidenceCheck* evidence = nullptr);

    /// Throws UsageError when the query names a node the index does not know.
    Answer lookup(const Query& query);
    /// The same, reusing `out`'s storage.
    void lookup(const Query& query, Answer& out);

private:
    void answer_node(const Query& q, UnixSeconds t, const NodeRef& node, Answer& a,
                     std::vector<std::string>& none_details);
    /// A doubtful snapshot: the earlier rulesets that could have stayed in force answer too.
    void answer_earlier(const Query& q, UnixSeconds t, const NodeRef& node, SnapshotPtr doubtful, Answer& a,
                        std::vector<std::string>& none_details);
    /// Candidates, MASQUERADE warnings and none details from one snapshot.
    void answer_snapshot(const Query& q, UnixSeconds t, const NodeRef& node, SnapshotPtr in_force,
                         SnapshotPtr successor, Answer& a, std::vector<std::string>& none_details);
    /// What answer_snapshot gathers from one snapshot's hits.
    struct SnapshotScan {
        SnapshotScan(const Query& query, UnixSeconds instant, const NodeRef& of, SnapshotPtr snapshot)
            : q(query), t(instant), node(of), in_force(snapshot)
        {
        }
        const Query& q;
        UnixSeconds t;
        const NodeRef& node;
        SnapshotPtr in_force;
        std::optional<UnixSeconds> valid_to;
        bool mapped = false;        ///< some rule gives the port to a source
        bool address_known = false; ///< some SNAT rule has the address, at another port
        std::vector<std::pair<RuleHit, std::string>> masquerades; ///< rule, protocols
        std::vector<int> never_lines; ///< rules covering the port that no connection reaches
        std::optional<std::optional<std::pair<Ipv4, UnixSeconds>>> own_lookup;
    };
    const std::optional<std::pair<Ipv4, UnixSeconds>>& own_address(SnapshotScan& scan);
    /// A MASQUERADE hit counts when the node's recorded address is the one looked up (and says so).
    bool masquerade_is_candidate(SnapshotScan& scan, const RuleHit& h, Answer& a);
    void add_candidate(const SnapshotScan& scan, int proto, const RuleHit& h, Answer& a);
    /// Why a snapshot gives the port to no source.
    static std::string why_unmapped(const SnapshotScan& scan);
    /// `successor`: the node's first usable snapshot after `in_force` (after `t` when none is in force).
    void warn_nearby_changes(const Query& q, UnixSeconds t, const NodeRef& node, SnapshotPtr in_force,
                             SnapshotPtr successor, Answer& a);
    /// The sorted distinct internal sources a snapshot gives the query's port.
    std::vector<std::string> sources_in(const SnapshotMeta& s, const Query& q);

    History& m_history;
    bool m_with_details;
    EvidenceWarnings m_evidence;
    std::unordered_map<std::int64_t, std::string> m_ephemeral_warning;    ///< per node id
    std::vector<RuleHit> m_hits;
    std::vector<UnusableRef> m_unusable;
    std::vector<const NodeRef*> m_nodes;
};

/// Decides the status from the candidates (distinct internal sources).
void settle_status(Answer& answer, const Query& query);

} // namespace natfw
