#pragma once
// An exclusive advisory lock (flock(2)) held for an object's lifetime, so two
// writers of the same thing never run at once. The kernel drops it when the
// process dies, so a killed run never leaves a stale lock behind.
#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace natfw {

class FileLock {
public:
    /// Called once, before waiting, with what is known of the holder ("pid 123", or empty).
    using WaitNotice = std::function<void(const std::string& holder)>;

    enum class Kind {
        /// A lock file, created 0640 if missing; our pid is written into it for
        /// the next waiter's message. Never a symlink's target, never truncated
        /// before it is ours and known to be a regular file.
        file,
        /// An existing directory; a missing one is an error, never created.
        directory,
    };

    /// Locks `path`. Waits up to `timeout` for another holder; then throws
    /// LockTimeout. Other failures throw FileError.
    FileLock(const std::filesystem::path& path, Kind kind, std::chrono::milliseconds timeout, const WaitNotice& on_wait);
    FileLock(const FileLock&) = delete;
    FileLock& operator=(const FileLock&) = delete;
    ~FileLock();

private:
    int m_fd = -1;
};

} // namespace natfw
