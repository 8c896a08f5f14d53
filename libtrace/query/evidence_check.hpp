#pragma once
// Whether the snapshot file an answer cites is still what was indexed. The
// answer always comes from the index (the durable record); this only tells
// the desk when the file on disk no longer backs it up.
#include "query/history.hpp"

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

namespace natfw {

enum class EvidenceDepth {
    /// Trust the file's recorded identity (device, inode, size, modification
    /// and change times) when it is unchanged, else re-hash, and say so when
    /// the identity had been recorded (single lookups).
    identity,
    /// As `identity`, and for snapshots indexed before identities were kept,
    /// trust an unchanged size and modification time (batches, which may cite
    /// hundreds of snapshots).
    stat,
};

/// A warning for `snapshot`'s file, or empty when it is as indexed.
std::string check_evidence_file(const SnapshotMeta& snapshot, EvidenceDepth depth);

/// check_evidence_file once per snapshot, shared by threads.
class EvidenceCheck {
public:
    explicit EvidenceCheck(EvidenceDepth depth) : m_depth(depth) {}

    /// The result stays valid as long as this object.
    const std::string& warning(const SnapshotMeta& snapshot);

private:
    EvidenceDepth m_depth;
    std::mutex m_mutex;
    std::unordered_map<std::int64_t, std::string> m_results; // node-based: references stay valid
};

} // namespace natfw
