#include "util/file_lock.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace natfw {

namespace {

constexpr std::chrono::milliseconds k_poll{50};

std::string read_holder(int fd)
{
    char buf[32] = {};
    ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
    std::string pid(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' '))
        pid.pop_back();
    return pid.empty() ? std::string{} : "pid " + pid;
}

} // namespace

FileLock::FileLock(const std::filesystem::path& path, Kind kind, std::chrono::milliseconds timeout,
                   const WaitNotice& on_wait)
{
    const bool directory = kind == Kind::directory;
    // O_NOFOLLOW: a symlink planted at the lock's path must not lead us to
    // write into (truncate) whatever it points at.
    m_fd = directory ? ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                     : ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0640);
    if (m_fd < 0) {
        int err = errno;
        throw FileError(fmt::format("{}: cannot open the lock: {}", path.string(),
                                    err == ELOOP ? "it is a symbolic link (refused)" : std::strerror(err)));
    }
    struct stat st {};
    if (!directory && (::fstat(m_fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        ::close(m_fd);
        throw FileError(fmt::format("{}: cannot open the lock: not a regular file", path.string()));
    }

    auto deadline = std::chrono::steady_clock::now() + timeout;
    bool noticed = false;
    while (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
        int err = errno;
        if (err == EINTR)
            continue;
        if (err != EWOULDBLOCK) {
            ::close(m_fd);
            throw FileError(fmt::format("{}: cannot lock: {}", path.string(), std::strerror(err)));
        }
        std::string holder = directory ? std::string{} : read_holder(m_fd);
        if (!noticed && on_wait) {
            on_wait(holder);
            noticed = true;
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            ::close(m_fd);
            throw LockTimeout(fmt::format("{} is still locked{} after {} s; giving up", path.string(),
                                          holder.empty() ? "" : " by " + holder,
                                          std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
        }
        std::this_thread::sleep_for(k_poll);
    }
    if (!directory) {
        auto pid = fmt::format("{}\n", ::getpid());
        if (::ftruncate(m_fd, 0) == 0 && ::pwrite(m_fd, pid.data(), pid.size(), 0) < 0) {
            // The pid only improves a waiter's message; the lock holds without it.
        }
    }
}

FileLock::~FileLock()
{
    if (m_fd < 0)
        return;
    // Forget our pid while still holding the lock, so no waiter names a
    // process that is gone. A directory lock has no content.
    if (::ftruncate(m_fd, 0) != 0) {
        // EINVAL on a directory; nothing to forget.
    }
    ::close(m_fd); // closing the only descriptor releases the flock
}

} // namespace natfw
