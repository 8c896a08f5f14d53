#pragma once
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include <sys/stat.h>

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

/// What the index keeps of a file to notice a change without hashing it.
struct FileStat {
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    /// The file's identity; 0 where it was not recorded (indexes before schema 10).
    std::int64_t dev = 0, ino = 0, ctime_ns = 0;

    bool has_identity() const { return ino != 0; }
    bool same_size_and_time(const FileStat& o) const { return size == o.size && mtime_ns == o.mtime_ns; }
    /// Both recorded and equal in every field: the same file, not written
    /// since (the change time moves with every write, and user space cannot
    /// set it back).
    bool same_identity(const FileStat& o) const
    {
        return has_identity() && o.has_identity() && same_size_and_time(o) && dev == o.dev && ino == o.ino &&
               ctime_ns == o.ctime_ns;
    }
};

/// Throws FileError when the file cannot be stat'ed.
FileStat stat_file(const std::filesystem::path& path);
/// The FileStat of a stat(2) result.
FileStat file_stat_of(const struct ::stat& st);

} // namespace natfw
