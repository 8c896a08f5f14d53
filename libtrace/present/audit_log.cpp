#include "present/audit_log.hpp"
#include "present/printable_json.hpp"

#include "util/errors.hpp"
#include "util/fd.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace natfw {

AuditTarget parse_audit_target(std::string_view text)
{
    std::string value(text);
    if (value.empty())
        if (const char* env = std::getenv("NATFW_TRACE_AUDIT"))
            value = env;
    const std::string lower = to_lower(value);
    if (value.empty() || lower == "syslog")
        return {AuditTarget::Kind::syslog, {}};
    if (lower == "off")
        return {AuditTarget::Kind::off, {}};
    // Words people write for "no trail" or "the journal": as file names they
    // would keep the trail somewhere nobody looks.
    static constexpr std::array<std::string_view, 18> k_not_files{
        "none", "no",  "false", "0", "disable", "disabled", "null",   "journal", "journald",
        "on",   "yes", "true",  "1", "enable",  "enabled",  "stderr", "stdout",  "-"};
    // A bare word one slip away from a keyword ("of", "sylog") was meant as
    // the keyword; a path or a name with a dot is taken as written.
    const bool bare_word = value.find_first_of("/.") == std::string::npos;
    const bool mistyped = bare_word && (typo_distance(lower, "off") <= 1 || typo_distance(lower, "syslog") <= 2);
    if (mistyped || std::find(k_not_files.begin(), k_not_files.end(), lower) != k_not_files.end())
        throw UsageError(fmt::format("--audit \"{}\" looks like a keyword, not a file: give off, syslog, or a "
                                     "path (./{} if a file of that name is meant)",
                                     value, value));
    return {AuditTarget::Kind::file, std::filesystem::path(value)};
}

std::optional<std::string> write_audit(const AuditTarget& target, const AuditRecord& record)
{
    switch (target.kind) {
    case AuditTarget::Kind::off:
        return std::nullopt;
    case AuditTarget::Kind::syslog: {
        // Where no syslog daemon listens the record is dropped by libc: the
        // trail is kept where it can be.
        std::string line = printable_json(record);
        ::openlog("natfw-trace", LOG_PID, LOG_AUTHPRIV);
        ::syslog(LOG_INFO, "audit %s", line.c_str());
        ::closelog();
        return std::nullopt;
    }
    case AuditTarget::Kind::file: {
        std::string line = printable_json(record) + "\n";
        // Not through a symlink (a planted one would append our records to
        // any file we may write), never blocking on a FIFO, regular files only.
        Fd fd(::open(target.file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0640));
        if (fd.get() < 0)
            return fmt::format("cannot open {}: {}", target.file.string(),
                               errno == ELOOP ? "it is a symbolic link (refused)" : std::strerror(errno));
        struct stat st {};
        if (::fstat(fd.get(), &st) != 0 || !S_ISREG(st.st_mode))
            return fmt::format("cannot open {}: not a regular file", target.file.string());
        ssize_t n = ::write(fd.get(), line.data(), line.size());
        if (n != static_cast<ssize_t>(line.size()))
            return fmt::format("cannot write {}: {}", target.file.string(),
                               n < 0 ? std::strerror(errno) : "short write");
        return std::nullopt;
    }
    }
    return std::nullopt;
}

} // namespace natfw
