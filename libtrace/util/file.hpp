#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace natfw {

/// Ruleset files are a few MB even with 16,000 clients; past this a file is
/// not one we read (a sparse 2 GB file, /dev/zero behind a link).
inline constexpr std::size_t k_max_file_bytes = std::size_t{64} << 20;

struct ReadLimits {
    std::size_t max_bytes = k_max_file_bytes;
    /// False for evidence: a snapshot replaced by a symlink is no longer the file indexed.
    bool follow_symlinks = true;
};

/// A regular file's whole content, read without ever blocking (a FIFO or a
/// device at the path is refused, not opened for reading) and never more than
/// `limits.max_bytes`. Throws FileError ("PATH: cannot read: REASON").
std::string read_file(const std::filesystem::path& path, ReadLimits limits = {});

/// What an ordinary run compares to notice a changed file without hashing it.
struct FileStat {
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    friend bool operator==(const FileStat&, const FileStat&) = default;
};

/// Throws FileError when the file cannot be stat'ed.
FileStat stat_file(const std::filesystem::path& path);

} // namespace natfw
