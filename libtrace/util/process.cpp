#include "util/process.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <spawn.h>
#include <unistd.h>
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

namespace {

/// Spawns argv (stdout to `stdout_fd` when it is not -1) and waits for it.
CommandResult spawn_and_wait(const std::vector<std::string>& argv, int stdout_fd, int close_fd, std::string* output)
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
    posix_spawn_file_actions_t actions;
    ::posix_spawn_file_actions_init(&actions);
    if (stdout_fd >= 0) // both pipe ends are close-on-exec; the dup2 copy is not
        ::posix_spawn_file_actions_adddup2(&actions, stdout_fd, STDOUT_FILENO);
    pid_t pid = 0;
    int err = ::posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
    ::posix_spawn_file_actions_destroy(&actions);
    if (stdout_fd >= 0)
        ::close(stdout_fd);
    if (err != 0) {
        if (close_fd >= 0)
            ::close(close_fd);
        result.failure = std::strerror(err);
        return result;
    }
    if (output) {
        char buffer[65536];
        for (;;) {
            ssize_t n = ::read(close_fd, buffer, sizeof buffer);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            output->append(buffer, static_cast<std::size_t>(n));
        }
        ::close(close_fd);
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

} // namespace

CommandResult run_command(const std::vector<std::string>& argv) { return spawn_and_wait(argv, -1, -1, nullptr); }

CommandResult run_command_output(const std::vector<std::string>& argv, std::string& output)
{
    output.clear();
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
        CommandResult result;
        result.failure = fmt::format("cannot make a pipe: {}", std::strerror(errno));
        return result;
    }
    return spawn_and_wait(argv, fds[1], fds[0], &output);
}

} // namespace natfw
