#pragma once
// Finding a node's snapshot files in one directory: rules.v4.<unix-seconds>
// and rules.v6.<unix-seconds>, and the nftables forms nftables.conf.<unix-seconds> and NAME.nft.<unix-seconds>
// (what a file holds is read from its content, parse/snapshot_reader).
#include "util/time_format.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

/// Which timelines a file's name puts it in: rules.v4 the IPv4 one, rules.v6
/// the IPv6 one, an nft snapshot both (its tables say what each holds).
enum class SnapshotNaming { rules_v4, rules_v6, nft };

struct SnapshotFile {
    std::filesystem::path path;
    UnixSeconds valid_from = 0;
    SnapshotNaming naming = SnapshotNaming::rules_v4;
    bool in_ipv4_timeline() const { return naming != SnapshotNaming::rules_v6; }
    bool in_ipv6_timeline() const { return naming != SnapshotNaming::rules_v4; }
};

struct SkippedFile {
    std::filesystem::path path;
    std::string reason;
    /// Looks like a snapshot but is not one (`rules.v4.<13 digits>`, `.bak`):
    /// worth a notice even without --verbose.
    bool near_miss = false;
};

struct Discovery {
    std::vector<SnapshotFile> snapshots; ///< sorted by valid_from
    std::vector<SkippedFile> skipped;
};

/// Returns the timestamp a snapshot name carries, if it is one:
/// `rules.v4.` (`base` and a dot) followed by 9 to 11 digits and nothing else.
std::optional<UnixSeconds> snapshot_time_from_name(std::string_view name, std::string_view base = "rules.v4");

/// The timestamp of an nftables snapshot name: `nftables.conf.<digits>` or
/// `NAME.nft.<digits>` (NAME not empty), the digits as for rules.v4.
std::optional<UnixSeconds> nft_snapshot_time_from_name(std::string_view name);

/// What natfw-generate appends to a snapshot whose reload failed.
inline constexpr std::string_view k_failed_suffix = ".failed";

/// The timestamp of a refused snapshot's name (`rules.v4.<digits>.failed`), if it is one.
std::optional<UnixSeconds> failed_snapshot_time_from_name(std::string_view name, std::string_view base = "rules.v4");

/// Lists the regular files of `dir` (not below it) named as snapshots.
/// Symlinks (rules.v4 itself) are never followed. Throws FileError when the
/// directory cannot be read.
Discovery discover_snapshots(const std::filesystem::path& dir);

} // namespace natfw
