#include "util/atomic_fs.hpp"

#include "util/errors.hpp"
#include "util/fd.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <stdio.h> // renameat2
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>
#include <utility>

namespace natfw {

namespace {

FileError fs_error(std::string_view what, const std::filesystem::path& path, int err)
{
    return FileError(fmt::format("{}: {}: {}", path.string(), what, std::strerror(err)));
}

/// A name beside `path` that no snapshot discovery takes for a snapshot
/// (it starts with a dot).
std::filesystem::path temporary_beside(const std::filesystem::path& path)
{
    thread_local std::mt19937_64 random{std::random_device{}()};
    return path.parent_path() / fmt::format(".{}.tmp-{}-{:x}", path.filename().string(), ::getpid(), random());
}

void write_all(int fd, std::string_view content, const std::filesystem::path& path)
{
    while (!content.empty()) {
        ssize_t n = ::write(fd, content.data(), content.size());
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            throw fs_error("cannot write", path, errno);
        content.remove_prefix(static_cast<std::size_t>(n));
    }
}

} // namespace

namespace {

/// `content` written and flushed under a temporary name beside `path`.
std::filesystem::path write_temporary(const std::filesystem::path& path, std::string_view content)
{
    std::filesystem::path temp;
    int raw = -1;
    for (int attempt = 0; raw < 0 && attempt < 16; ++attempt) {
        temp = temporary_beside(path);
        raw = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (raw < 0 && errno != EEXIST)
            throw fs_error("cannot create a temporary file beside it", path, errno);
    }
    if (raw < 0)
        throw fs_error("cannot create a temporary file beside it", path, EEXIST);
    Fd fd(raw);
    try {
        write_all(fd.get(), content, temp);
        if (::fsync(fd.get()) != 0)
            throw fs_error("cannot flush", temp, errno);
        if (::close(fd.release()) != 0)
            throw fs_error("cannot close", temp, errno);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    return temp;
}

} // namespace

void create_file_atomically(const std::filesystem::path& path, std::string_view content)
{
    auto temp = write_temporary(path, content);
    try {
        rename_no_replace(temp, path);
    } catch (...) {
        ::unlink(temp.c_str());
        throw;
    }
    sync_directory(path.parent_path());
}

void replace_file_atomically(const std::filesystem::path& path, std::string_view content)
{
    auto temp = write_temporary(path, content);
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        throw fs_error("cannot replace", path, err);
    }
    sync_directory(path.parent_path());
}

void rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to)
{
    if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0)
        return;
    if (errno != EINVAL && errno != ENOSYS)
        throw fs_error(fmt::format("cannot rename to {}", to.string()), from, errno);
    // File systems without RENAME_NOREPLACE: link(2) refuses to replace too.
    if (::link(from.c_str(), to.c_str()) != 0)
        throw fs_error(fmt::format("cannot rename to {}", to.string()), from, errno);
    ::unlink(from.c_str());
}

void replace_symlink(const std::filesystem::path& link, const std::filesystem::path& target)
{
    std::filesystem::path temp;
    for (int attempt = 0;; ++attempt) {
        temp = temporary_beside(link);
        if (::symlink(target.c_str(), temp.c_str()) == 0)
            break;
        if (errno != EEXIST || attempt == 15)
            throw fs_error("cannot create a symlink beside it", link, errno);
    }
    if (::rename(temp.c_str(), link.c_str()) != 0) {
        int err = errno;
        ::unlink(temp.c_str());
        throw fs_error("cannot replace the symlink", link, err);
    }
    sync_directory(link.parent_path());
}

void sync_directory(const std::filesystem::path& dir)
{
    Fd fd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0 || ::fsync(fd.get()) != 0)
        throw fs_error("cannot flush the directory", dir, errno);
}

} // namespace natfw
