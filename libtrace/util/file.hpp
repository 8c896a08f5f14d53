#pragma once
#include <cstdint>
#include <filesystem>
#include <string>

namespace natfw {

/// A file's whole content. Throws FileError ("PATH: cannot read: REASON").
std::string read_file(const std::filesystem::path& path);

/// What an ordinary run compares to notice a changed file without hashing it.
struct FileStat {
    std::int64_t size = 0;
    std::int64_t mtime_ns = 0;
    friend bool operator==(const FileStat&, const FileStat&) = default;
};

/// Throws FileError when the file cannot be stat'ed.
FileStat stat_file(const std::filesystem::path& path);

} // namespace natfw
