#include "generate/snapshot_publisher.hpp"

#include "util/errors.hpp"
#include "generate/generated_ruleset.hpp"
#include "parse/snapshot_discovery.hpp"
#include "util/atomic_fs.hpp"
#include "util/file.hpp"
#include "util/process.hpp"

#include <fmt/format.h>
#include <fmt/ostream.h>
#include <fmt/ranges.h>

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace natfw {

namespace {

namespace fs = std::filesystem;

/// What LINK points at now: nothing, or its target as written in the link.
std::optional<fs::path> current_target(const fs::path& link)
{
    std::error_code ec;
    auto status = fs::symlink_status(link, ec);
    if (ec || !fs::exists(status))
        return std::nullopt;
    if (!fs::is_symlink(status))
        throw Error(fmt::format("{} exists and is not a symlink; natfw-generate only replaces the symlink it "
                                "maintains. Keep that ruleset as a snapshot (rename it to {}.<unix-seconds it came "
                                "into force>) and run again",
                                link.string(), link.filename().string()));
    auto target = fs::read_symlink(link, ec);
    if (ec)
        throw FileError(fmt::format("{}: cannot read the symlink: {}", link.string(), ec.message()));
    return target;
}

/// Puts LINK back as it was before the swap.
void restore_link(const fs::path& link, const std::optional<fs::path>& previous)
{
    if (previous) {
        replace_symlink(link, *previous);
    } else if (::unlink(link.c_str()) != 0 && errno != ENOENT) {
        throw FileError(fmt::format("{}: cannot remove: {}", link.string(), std::strerror(errno)));
    }
}

} // namespace

void check_newest_snapshot(const fs::path& link, UnixSeconds stamp)
{
    std::error_code ec;
    std::string base = link.filename().string();
    for (fs::directory_iterator it(link.parent_path(), ec), end; !ec && it != end; it.increment(ec)) {
        auto name = it->path().filename().string();
        auto t = snapshot_time_from_name(name, base);
        if (!t)
            t = failed_snapshot_time_from_name(name, base);
        if (t && *t >= stamp)
            throw Error(fmt::format("{} exists and is not older than the new snapshot's time {}; a snapshot is "
                                    "never overwritten and must be the newest (is the clock or --time wrong?)",
                                    it->path().string(), stamp));
    }
    if (ec)
        throw FileError(fmt::format("{}: cannot read directory: {}", link.parent_path().string(), ec.message()));
}

PublishResult publish_snapshot(const PublishOptions& options, std::string_view content, std::ostream& diag)
{
    const fs::path link = fs::absolute(options.link).lexically_normal();
    PublishResult result;
    auto previous = current_target(link);
    if (previous) {
        try {
            if (same_apart_from_date(read_file(link), content))
                return result; // unchanged: nothing written, nothing reloaded
        } catch (const FileError& e) {
            fmt::print(diag, "natfw-generate: warning: cannot read the ruleset in force ({}); writing a new one\n",
                       e.what());
        }
    }
    check_newest_snapshot(link, options.stamp);

    const fs::path snapshot = fs::path(link.string() + fmt::format(".{}", options.stamp));
    create_file_atomically(snapshot, content);
    fmt::print(diag, "natfw-generate: wrote {}\n", snapshot.string());
    replace_symlink(link, snapshot);
    fmt::print(diag, "natfw-generate: {} now points at it\n", link.string());
    result.snapshot = snapshot;
    result.outcome = PublishOutcome::published;
    if (!options.reload)
        return result;

    auto run = run_command(*options.reload);
    if (run.succeeded()) {
        fmt::print(diag, "natfw-generate: reloaded: {}\n", fmt::join(*options.reload, " "));
        return result;
    }
    fmt::print(diag, "natfw-generate: error: reload \"{}\" {}; rolling back\n", fmt::join(*options.reload, " "),
               run.describe());
    restore_link(link, previous);
    fmt::print(diag, "natfw-generate: {} {}\n", link.string(),
               previous ? fmt::format("points at {} again", previous->string()) : std::string("removed again"));
    fs::path failed = fs::path(snapshot.string() + std::string(k_failed_suffix));
    rename_no_replace(snapshot, failed);
    sync_directory(link.parent_path());
    fmt::print(diag, "natfw-generate: kept the refused ruleset as {} (not a snapshot: it was never in force)\n",
               failed.string());
    result.snapshot = failed;
    result.outcome = PublishOutcome::reload_failed;
    return result;
}

} // namespace natfw
