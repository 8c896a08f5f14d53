#pragma once
// What both programs' mains share: CLI11 set-up and the mapping of errors to
// one-line messages and exit codes.
#include "exit_status.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>

#include <cstdio>
#include <functional>
#include <string>

namespace natfw::cli {

inline constexpr const char* k_version = "0.1.0";

inline void add_common_options(CLI::App& app, std::string& db, const std::string& name)
{
    app.set_version_flag("--version", name + " " + k_version);
    app.add_option("--db", db, "index file (default: $NATFW_TRACE_DB, else /var/lib/natfw-trace/index.sqlite)");
}

/// Parses the command line; on a mistake prints one line and returns exit 2,
/// on --help/--version prints them and returns 0. Returns -1 to go on.
inline int parse(CLI::App& app, int argc, char** argv)
{
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "%s: %s (see --help)\n", app.get_name().c_str(), e.what());
        return code(ExitStatus::usage);
    }
    return -1;
}

/// Runs `body`, mapping exceptions to a one-line message and an exit status:
/// bad input 2, the index unavailable `index_unavailable` (natfw-generate
/// documents no 4), any other error 1.
inline int run(const std::string& name, ExitStatus index_unavailable, const std::function<ExitStatus()>& body)
{
    try {
        return code(body());
    } catch (const UsageError& e) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
        return code(ExitStatus::usage);
    } catch (const LockTimeout& e) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
        return code(index_unavailable);
    } catch (const IndexUnavailable& e) {
        std::fprintf(stderr, "%s: %s\n", name.c_str(), e.what());
        return code(index_unavailable);
    } catch (const SQLite::Exception& e) {
        std::fprintf(stderr, "%s: index error: %s\n", name.c_str(), e.what());
        return code(index_unavailable);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "%s: error: %s\n", name.c_str(), e.what());
        return code(ExitStatus::failed);
    }
}

} // namespace natfw::cli
