#include "query/evidence_check.hpp"

#include "util/errors.hpp"
#include "util/file.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace natfw {

std::string check_evidence_file(const SnapshotMeta& s, EvidenceDepth depth)
{
    struct stat st {};
    if (::stat(s.path.c_str(), &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return fmt::format("evidence: {} is not there (deleted, rotated, or not visible from this machine); "
                               "the index keeps its rules, sha256 {}",
                               s.path, s.sha256);
        return fmt::format("evidence: {} cannot be checked: {}", s.path, std::strerror(errno));
    }
    FileStat now{static_cast<std::int64_t>(st.st_size),
                 static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
    if (depth == EvidenceDepth::stat && now == FileStat{s.size, s.mtime_ns})
        return {};
    std::string hash;
    try {
        hash = sha256_hex(read_file(s.path));
    } catch (const FileError& e) {
        return fmt::format("evidence: {} cannot be re-checked: {}", s.path, e.what());
    }
    if (hash == s.sha256)
        return {}; // touched, not changed
    return fmt::format("evidence: {} changed after it was indexed (sha256 now {}, indexed {}); this answer comes "
                       "from the indexed content",
                       s.path, hash, s.sha256);
}

const std::string& EvidenceCheck::warning(const SnapshotMeta& snapshot)
{
    std::lock_guard lock(m_mutex);
    auto [it, inserted] = m_results.try_emplace(snapshot.id);
    if (inserted)
        it->second = check_evidence_file(snapshot, m_depth);
    return it->second;
}

} // namespace natfw
