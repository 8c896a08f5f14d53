#include "util/process.hpp"

#include <fmt/format.h>

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;

namespace natfw {

std::vector<std::string> split_command(std::string_view command)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < command.size()) {
        auto start = command.find_first_not_of(' ', i);
        if (start == std::string_view::npos)
            break;
        auto end = command.find(' ', start);
        if (end == std::string_view::npos)
            end = command.size();
        out.emplace_back(command.substr(start, end - start));
        i = end;
    }
    return out;
}

std::string CommandResult::describe() const
{
    if (!started)
        return fmt::format("not started: {}", failure);
    if (signal)
        return fmt::format("killed by signal {} ({})", signal, ::strsignal(signal));
    return fmt::format("exited with status {}", exit_status);
}

CommandResult run_command(const std::vector<std::string>& argv)
{
    CommandResult result;
    if (argv.empty()) {
        result.failure = "empty command";
        return result;
    }
    std::vector<char*> args;
    for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str())); // posix_spawn's signature; it does not write
    args.push_back(nullptr);
    pid_t pid = 0;
    int err = ::posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ);
    if (err != 0) {
        result.failure = std::strerror(err);
        return result;
    }
    result.started = true;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            result.started = false;
            result.failure = fmt::format("cannot wait for it: {}", std::strerror(errno));
            return result;
        }
    }
    if (WIFSIGNALED(status))
        result.signal = WTERMSIG(status);
    else
        result.exit_status = WEXITSTATUS(status);
    return result;
}

} // namespace natfw
