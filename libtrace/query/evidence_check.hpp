#pragma once
// Whether the snapshot file an answer cites is still what was indexed. The
// answer always comes from the index (the durable record); this only tells
// the desk when the file on disk no longer backs it up.
#include "query/history.hpp"
#include "store/indexed_file.hpp"

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace natfw {


/// A warning for `snapshot`'s file, or empty when it is as indexed. `trust`:
/// StatTrust::identity for single lookups; size_and_time for batches, which
/// may cite hundreds of snapshots (on indexes from before schema 10, size and
/// modification time then vouch for a file). When an identity had been
/// recorded and the file was re-hashed for want of it, the warning says so.
std::string check_evidence_file(const SnapshotMeta& snapshot, StatTrust trust);

/// check_evidence_file once per snapshot, shared by threads.
class EvidenceCheck {
public:
    explicit EvidenceCheck(StatTrust trust) : m_trust(trust) {}

    /// The result stays valid as long as this object.
    const std::string& warning(const SnapshotMeta& snapshot);

private:
    StatTrust m_trust;
    std::mutex m_mutex;
    std::unordered_map<std::int64_t, std::string> m_results; // node-based: references stay valid
};

} // namespace natfw
