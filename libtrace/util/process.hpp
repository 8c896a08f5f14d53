#pragma once
// Running another program without a shell, so that nothing in its command
// line is ever interpreted.
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// Splits a command line on spaces (no quoting: the contract's "split on spaces").
std::vector<std::string> split_command(std::string_view command);

struct CommandResult {
    bool started = false;
    int exit_status = -1; ///< when it exited
    int signal = 0;       ///< when a signal ended it
    std::string failure;  ///< why it did not start, for people

    bool succeeded() const { return started && signal == 0 && exit_status == 0; }
    /// "exited with status 3", "killed by signal 9", "not started: No such file or directory".
    std::string describe() const;
};

/// Runs argv[0] (searched in $PATH) with the caller's stdin, stdout, stderr
/// and environment, and waits for it.
CommandResult run_command(const std::vector<std::string>& argv);

/// Runs argv[0] as run_command does, but returns what it wrote to stdout in `output`.
CommandResult run_command_output(const std::vector<std::string>& argv, std::string& output);

} // namespace natfw
