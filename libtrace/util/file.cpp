#include "util/file.hpp"

#include "util/errors.hpp"
#include "util/fd.hpp"

#include <fmt/format.h>
#include <fmt/std.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace natfw {

std::string read_file(const std::filesystem::path& path, ReadLimits limits)
{
    auto fail = [&](const std::string& why) {
        return FileError(fmt::format("{}: cannot read: {}", path.string(), why));
    };
    int flags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC | (limits.follow_symlinks ? 0 : O_NOFOLLOW);
    Fd fd(::open(path.c_str(), flags));
    if (fd.get() < 0)
        throw fail(errno == ELOOP && !limits.follow_symlinks ? "it is a symbolic link, not a regular file"
                                                             : std::strerror(errno));
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0)
        throw fail(std::strerror(errno));
    if (!S_ISREG(st.st_mode))
        throw fail(S_ISFIFO(st.st_mode)  ? "it is a FIFO, not a regular file"
                   : S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) ? "it is a device, not a regular file"
                   : S_ISDIR(st.st_mode) ? "it is a directory"
                                         : "not a regular file");
    if (static_cast<std::uint64_t>(st.st_size) > limits.max_bytes)
        throw fail(fmt::format("{} bytes, more than the {} MiB a ruleset file may have", st.st_size,
                               limits.max_bytes >> 20));
    // Read to the end rather than st_size bytes: /proc files say 0, and a
    // file may grow while it is read (bounded all the same).
    std::string content;
    content.reserve(static_cast<std::size_t>(st.st_size));
    char buf[1 << 16];
    while (true) {
        ssize_t n = ::read(fd.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw fail(std::strerror(errno));
        if (n == 0)
            break;
        content.append(buf, static_cast<std::size_t>(n));
        if (content.size() > limits.max_bytes)
            throw fail(fmt::format("more than the {} MiB a ruleset file may have", limits.max_bytes >> 20));
    }
    return content;
}

FileStat stat_file(const std::filesystem::path& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw FileError(fmt::format("{}: cannot stat: {}", path.string(), std::strerror(errno)));
    return file_stat_of(st);
}

FileStat file_stat_of(const struct ::stat& st)
{
    auto ns = [](const timespec& t) { return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec; };
    return {static_cast<std::int64_t>(st.st_size), ns(st.st_mtim), static_cast<std::int64_t>(st.st_dev),
            static_cast<std::int64_t>(st.st_ino), ns(st.st_ctim)};
}

} // namespace natfw
