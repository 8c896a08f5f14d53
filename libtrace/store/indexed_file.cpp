#include "store/indexed_file.hpp"

#include "util/errors.hpp"
#include "util/sha256.hpp"

#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace natfw {

IndexedFileCheck check_indexed_file(const std::filesystem::path& path, const std::string& sha256,
                                    const FileStat& stat, bool trust_stat)
{
    IndexedFileCheck out;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        out.state = errno == ENOENT || errno == ENOTDIR ? FileState::missing : FileState::no_stat;
        out.error = std::strerror(errno);
        return out;
    }
    out.stat = {static_cast<std::int64_t>(st.st_size),
                static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
    if (trust_stat && S_ISREG(st.st_mode) && out.stat == stat)
        return out;
    try {
        out.sha256 = sha256_hex(read_file(path, {k_max_file_bytes, false}));
    } catch (const FileError& e) {
        out.state = FileState::unreadable;
        out.error = e.what();
        return out;
    }
    if (out.sha256 != sha256)
        out.state = FileState::changed;
    else if (!(out.stat == stat))
        out.state = FileState::touched;
    return out;
}

} // namespace natfw
