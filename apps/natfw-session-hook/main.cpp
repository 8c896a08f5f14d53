// natfw-session-hook: the VPN portal's connect/disconnect script
// (connectScriptPath). Appends one record per event to the spool that
// natfw-index --session-spool ingests (see README, "Sessions"). The portal
// refuses the user's connection when this program fails, so it always exits
// 0, never waits for a lock, and reports its own trouble to syslog (and stderr).
#include "parse/hook_record.hpp"

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <string>
#include <syslog.h>
#include <unistd.h>

namespace {

constexpr const char* k_default_spool = "/var/spool/natfw-trace/sessions.jsonl";

void report(const std::string& what)
{
    openlog("natfw-session-hook", LOG_PID, LOG_USER);
    syslog(LOG_ERR, "%s", what.c_str());
    closelog();
    std::fprintf(stderr, "natfw-session-hook: %s\n", what.c_str());
}

} // namespace

int main(int argc, char** argv)
{
    if (argc > 1 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "--version") == 0)) {
        std::printf("natfw-session-hook 0.1.0: run by vpn-user-portal (connectScriptPath) with VPN_EVENT, "
                    "VPN_USER_ID, ... in the environment;\nappends the event to $NATFW_SESSION_SPOOL (default %s). "
                    "Always exits 0.\n",
                    k_default_spool);
        return 0;
    }
    try {
        const char* env_spool = std::getenv("NATFW_SESSION_SPOOL");
        std::string spool = env_spool && *env_spool ? env_spool : k_default_spool;
        auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        char host[256] = {};
        ::gethostname(host, sizeof host - 1);
        std::string problem;
        auto line = natfw::hook_record_line([](const char* n) { return std::getenv(n); }, now, host, problem);
        if (!line) {
            report("event not recorded: " + problem);
            return 0;
        }
        // O_APPEND and one write(): records of concurrent connects never interleave.
        int fd = ::open(spool.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0640);
        if (fd < 0) {
            report("cannot open the spool " + spool + ": " + std::strerror(errno) + "; event not recorded: " + *line);
            return 0;
        }
        ssize_t n = ::write(fd, line->data(), line->size());
        if (n != static_cast<ssize_t>(line->size()))
            report("cannot write the spool " + spool + ": " + (n < 0 ? std::strerror(errno) : "short write") +
                   "; event not recorded: " + *line);
        ::close(fd);
    } catch (const std::exception& e) {
        report(std::string("event not recorded: ") + e.what());
    } catch (...) {
        report("event not recorded: unknown error");
    }
    return 0;
}
