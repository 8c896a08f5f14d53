#pragma once
// Putting a new ruleset into force the way the seed generator's sites expect
// (a timestamped snapshot beside the rules.v4 symlink), but so that no step
// is ever seen half done and nothing is lost when the reload fails.
#include "util/time_format.hpp"

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

struct PublishOptions {
    std::filesystem::path link;                    ///< the symlink, e.g. /etc/iptables/rules.v4
    UnixSeconds stamp = 0;                         ///< the snapshot is LINK.<stamp>
    std::optional<std::vector<std::string>> reload; ///< argv run after the swap; none: no reload
};

enum class PublishOutcome {
    unchanged,     ///< the ruleset in force equals the new one apart from its date comment
    published,     ///< written, symlink swapped, reloaded
    reload_failed, ///< rolled back: symlink restored, file kept as LINK.<stamp>.failed
    recorded,      ///< nft form: the table unchanged, but the ruleset in force changed and was recorded
};

struct PublishResult {
    PublishOutcome outcome = PublishOutcome::unchanged;
    std::filesystem::path snapshot; ///< the file written (its .failed name after a rollback)
};

/// Refuses (Error) a stamp that would not make LINK.<stamp> the newest
/// snapshot beside LINK: an existing one is never overwritten, and history
/// never runs backwards. Throws FileError when the directory cannot be read.
void check_newest_snapshot(const std::filesystem::path& link, UnixSeconds stamp);

/// Writes `content` as LINK.<stamp> (never replacing a file, refusing when a
/// snapshot at or after `stamp` exists), points LINK at it in one rename, runs
/// the reload without a shell, and on a reload failure puts LINK back and
/// renames the file to LINK.<stamp>.failed. Progress goes to `diag`.
/// Throws Error when it refuses or a file-system step fails before the swap.
PublishResult publish_snapshot(const PublishOptions& options, std::string_view content, std::ostream& diag);

} // namespace natfw
