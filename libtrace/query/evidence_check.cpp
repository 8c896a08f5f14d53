#include "query/evidence_check.hpp"


#include <fmt/format.h>

namespace natfw {

std::string check_evidence_file(const SnapshotMeta& s, StatTrust trust)
{
    auto check = check_indexed_file(s.path, s.sha256, s.file, trust);
    switch (check.state) {
    case FileState::unchanged:
        return {};
    case FileState::touched:
        if (!s.file.has_identity())
            return {}; // indexed before identities were kept: hashed, as every lookup then did
        return fmt::format("evidence: {} was re-hashed: its inode, size or times are not those recorded when it "
                           "was indexed (copied, restored or touched); its content is as indexed",
                           s.path);
    case FileState::missing:
        return fmt::format("evidence: {} is not there (deleted, rotated, or not visible from this machine); "
                           "the index keeps its rules, sha256 {}",
                           s.path, s.sha256);
    case FileState::no_stat:
        return fmt::format("evidence: {} cannot be checked: {}", s.path, check.error);
    case FileState::unreadable:
        return fmt::format("evidence: {} cannot be re-checked: {}", s.path, check.error);
    case FileState::changed:
        break;
    }
    return fmt::format("evidence: {} changed after it was indexed (sha256 now {}, indexed {}); this answer comes "
                       "from the indexed content",
                       s.path, check.sha256, s.sha256);
}

const std::string& EvidenceCheck::warning(const SnapshotMeta& snapshot)
{
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_results.try_emplace(snapshot.id);
    if (inserted)
        it->second = check_evidence_file(snapshot, m_trust);
    return it->second;
}

} // namespace natfw
