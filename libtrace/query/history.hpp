#pragma once
// Where every lookup reads the indexed NAT history from: single lookups,
// batches, --inbound and --internal. The semantics are written once against
// this interface; SqlHistory answers with B-tree seeks (one lookup per
// process), PackedHistory from rulesets loaded once into memory (batches).
// It reads rules; a history of another kind of record (the VPN's sessions)
// is an interface of its own beside it, selected by the same NodeRef and
// answered into the same Answer.
#include "derive/rule_hit.hpp"
#include "parse/ruleset.hpp"
#include "store/stored_rule.hpp"
#include "util/file.hpp"
#include "util/ipv4_set.hpp"
#include "util/time_format.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

struct NodeRef {
    std::int64_t id = 0;
    std::string name;
};

/// A usable snapshot: the evidence a candidate points at.
struct SnapshotMeta {
    std::int64_t id = 0;
    std::string node;
    UnixSeconds valid_from = 0;
    std::string path;
    std::string sha256;
    std::int64_t ruleset_id = 0;
    FileStat file; ///< as indexed: what an evidence check compares
    /// Why the file may never have been in force (CRLF line ends, ...);
    /// empty when nothing casts doubt on it.
    std::string doubt;
};
/// Owned by the History that returned it, valid as long as that History;
/// plain pointers, so threads sharing a history share no reference counts.
using SnapshotPtr = const SnapshotMeta*;

struct UnusableRef {
    std::string path;
    UnixSeconds valid_from = 0;
    int line = 0;
    std::string reason;
};

/// Implementations say whether they may be shared between threads.
class History {
public:
    virtual ~History() = default;

    /// A view of this history for one thread of a batch, keeping what that
    /// thread is using; null when the thread should use this history itself.
    virtual std::unique_ptr<History> for_worker() { return nullptr; }

    /// Every node, by name.
    virtual const std::vector<NodeRef>& nodes() = 0;
    /// The newest usable snapshot of `node` at or before `t`: the one in force.
    virtual SnapshotPtr usable_at(const NodeRef& node, UnixSeconds t) = 0;
    /// The oldest usable snapshot of `node` after `t`.
    virtual SnapshotPtr usable_after(const NodeRef& node, UnixSeconds t) = 0;
    /// Unusable snapshots of `node` dated in (after, upto], oldest first.
    virtual void unusable_between(const NodeRef& node, UnixSeconds after, UnixSeconds upto,
                                  std::vector<UnusableRef>& out) = 0;
    virtual std::optional<UnixSeconds> first_snapshot(const NodeRef& node) = 0;
    /// Appends the source-NAT rules of `ruleset` covering `ip` and `port` for
    /// protocol `proto` (6 or 17), in rule order.
    virtual void hits(std::int64_t ruleset, int proto, Ipv4 ip, std::uint16_t port, std::vector<RuleHit>& out) = 0;
    /// Whether any SNAT rule of `ruleset` targets `ip`, whatever the port.
    virtual bool maps_address(std::int64_t ruleset, int proto, Ipv4 ip) = 0;
    virtual RuleDetail rule_detail(std::int64_t ruleset, int position) = 0;
    /// The node's own public address at `t` as recorded (--masquerade-address), and since when.
    virtual std::optional<std::pair<Ipv4, UnixSeconds>> node_address(const NodeRef& node, UnixSeconds t) = 0;

    // The rest serves the rarer lookups (--inbound, --internal), rule by rule.

    /// Every usable snapshot of `node`, oldest first.
    virtual void usable_snapshots(const NodeRef& node, std::vector<SnapshotPtr>& out) = 0;
    /// The DNAT rules of `ruleset`, and the verdicts that end a chain before
    /// one (ACCEPT, DROP, RETURN, nft's accept), in rule order.
    virtual void dnat_rules(std::int64_t ruleset, std::vector<Rule>& out) = 0;
    /// The rules of `ruleset` whose own source (`-s`, `!` included) holds
    /// `address`, in rule order.
    virtual void rules_for_source(std::int64_t ruleset, Ipv4 address, std::vector<Rule>& out) = 0;
    /// The part of a source-NAT rule's source that reaches it for `proto`
    /// after first match; nullopt when none does.
    virtual std::optional<Ipv4Set> reaching_source(std::int64_t ruleset, const Rule& rule, int proto) = 0;
};

} // namespace natfw
