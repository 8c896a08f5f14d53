#pragma once
// What both programs' mains share: CLI11 set-up and the mapping of errors to
// one-line messages and exit codes.
#include "exit_status.hpp"
#include "present/printable_json.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

#include <CLI/CLI.hpp>
#include <SQLiteCpp/Exception.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <functional>
#include <string>
#include <string_view>

namespace natfw::cli {

inline constexpr const char* k_version = "0.1.0";

inline void add_common_options(CLI::App& app, std::string& db, const std::string& name)
{
    app.set_version_flag("--version", name + " " + k_version);
    app.add_option("--db", db, "index file (default: $NATFW_TRACE_DB, else /var/lib/natfw-trace/index.sqlite)");
}

/// Whether the command line asks for JSON (`--format json` or `--format=json`),
/// read before parsing it: a command line that cannot be parsed still gets its
/// error in the form the caller's script reads.
inline bool asks_for_json(int argc, char** argv)
{
    for (int i = 1; i < argc; ++i) {
        std::string_view a = argv[i];
        if (a == "--")
            break;
        if (a == "--format=json" || (a == "--format" && i + 1 < argc && std::string_view(argv[i + 1]) == "json"))
            return true;
    }
    return false;
}

/// With --format json, an error is also one JSON object on standard output,
/// `{"error": MESSAGE, "exit": STATUS}`, beside its line on standard error.
inline void print_json_error(bool json, std::string_view message, int status)
{
    if (json)
        std::printf("%s\n", printable_json(nlohmann::json{{"error", message}, {"exit", status}}).c_str());
}

/// Parses the command line; on a mistake prints one line and returns exit 2,
/// on --help/--version prints them and returns 0. Returns -1 to go on.
inline int parse(CLI::App& app, int argc, char** argv, bool json = false)
{
    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
        return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
        return app.exit(e);
    } catch (const CLI::ParseError& e) {
        std::fprintf(stderr, "%s: %s (see --help)\n", app.get_name().c_str(), e.what());
        print_json_error(json, e.what(), code(ExitStatus::usage));
        return code(ExitStatus::usage);
    }
    return -1;
}

/// Runs `body`, mapping exceptions to a one-line message and an exit status:
/// bad input 2, the index unavailable `index_unavailable` (natfw-generate
/// documents no 4), any other error 1. `json`: also as print_json_error says.
inline int run(const std::string& name, ExitStatus index_unavailable, const std::function<ExitStatus()>& body,
               bool json = false)
{
    auto fail = [&](std::string_view prefix, const char* what, ExitStatus status) {
        std::fprintf(stderr, "%s: %.*s%s\n", name.c_str(), static_cast<int>(prefix.size()), prefix.data(), what);
        print_json_error(json, std::string(prefix) + what, code(status));
        return code(status);
    };
    try {
        return code(body());
    } catch (const UsageError& e) {
        return fail("", e.what(), ExitStatus::usage);
    } catch (const LockTimeout& e) {
        return fail("", e.what(), index_unavailable);
    } catch (const IndexUnavailable& e) {
        return fail("", e.what(), index_unavailable);
    } catch (const SQLite::Exception& e) {
        return fail("index error: ", e.what(), index_unavailable);
    } catch (const std::exception& e) {
        return fail("error: ", e.what(), ExitStatus::failed);
    }
}

} // namespace natfw::cli
