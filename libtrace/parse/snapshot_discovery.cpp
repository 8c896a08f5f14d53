#include "parse/snapshot_discovery.hpp"

#include "util/number.hpp"

#include <limits>

#include "util/errors.hpp"

#include <fmt/format.h>
#include <fmt/std.h>

#include <algorithm>
#include <charconv>
#include <tuple>

namespace natfw {

namespace {
constexpr std::string_view k_prefix = "rules.v4.";
constexpr std::string_view k_prefix6 = "rules.v6.";
}

std::optional<UnixSeconds> snapshot_time_from_name(std::string_view name, std::string_view base)
{
    if (name.size() <= base.size() || !name.starts_with(base) || name[base.size()] != '.')
        return std::nullopt;
    auto suffix = name.substr(base.size() + 1);
    if (suffix.size() < 9 || suffix.size() > 11)
        return std::nullopt;
    return parse_decimal<UnixSeconds>(suffix, 0, std::numeric_limits<UnixSeconds>::max());
}

std::optional<UnixSeconds> failed_snapshot_time_from_name(std::string_view name, std::string_view base)
{
    if (!name.ends_with(k_failed_suffix))
        return std::nullopt;
    return snapshot_time_from_name(name.substr(0, name.size() - k_failed_suffix.size()), base);
}

std::optional<UnixSeconds> nft_snapshot_time_from_name(std::string_view name)
{
    if (name.starts_with("nftables.conf."))
        return snapshot_time_from_name(name, "nftables.conf");
    auto dot = name.rfind(".nft.");
    if (dot == std::string_view::npos || dot == 0)
        return std::nullopt;
    return snapshot_time_from_name(name, name.substr(0, dot + 4));
}

namespace {

/// The time and timelines of a rules.v4, rules.v6 or nftables snapshot name.
std::optional<std::pair<UnixSeconds, SnapshotNaming>> any_snapshot_time(std::string_view name)
{
    if (auto t = snapshot_time_from_name(name))
        return std::pair{*t, SnapshotNaming::rules_v4};
    if (auto t = snapshot_time_from_name(name, "rules.v6"))
        return std::pair{*t, SnapshotNaming::rules_v6};
    if (auto t = nft_snapshot_time_from_name(name))
        return std::pair{*t, SnapshotNaming::nft};
    return std::nullopt;
}

} // namespace

Discovery discover_snapshots(const std::filesystem::path& dir)
{
    namespace fs = std::filesystem;
    Discovery out;
    std::error_code ec;
    fs::directory_iterator it(dir, ec);
    if (ec)
        throw FileError(fmt::format("{}: cannot read directory: {}", dir, ec.message()));
    for (; it != fs::directory_iterator(); it.increment(ec)) {
        if (ec)
            throw FileError(fmt::format("{}: cannot read directory: {}", dir, ec.message()));
        const auto& entry = *it;
        std::string name = entry.path().filename().string();
        auto nft = name.find(".nft.");
        bool looks_like_snapshot = name.starts_with(k_prefix) || name.starts_with(k_prefix6) ||
                                   name.starts_with("nftables.conf.") ||
                                   (nft != std::string::npos && nft > 0);
        auto status = entry.symlink_status(ec);
        if (fs::is_symlink(status)) {
            out.skipped.push_back({entry.path(), "a symlink (snapshots are the files it points at)", false});
            continue;
        }
        if (!fs::is_regular_file(status)) {
            out.skipped.push_back({entry.path(), "not a regular file", false});
            continue;
        }
        if (auto t = any_snapshot_time(name)) {
            out.snapshots.push_back({entry.path(), t->first, t->second});
            continue;
        }
        if (name.ends_with(k_failed_suffix) &&
            any_snapshot_time(std::string_view(name).substr(0, name.size() - k_failed_suffix.size()))) {
            out.skipped.push_back({entry.path(), "a ruleset its reload refused (natfw-generate); never in force", false});
            continue;
        }
        out.skipped.push_back(
            {entry.path(),
             !looks_like_snapshot ? "not a snapshot name"
             : name.starts_with(k_prefix) || name.starts_with(k_prefix6)
                 ? fmt::format("not a snapshot name ({}<unix-seconds>, 9 to 11 digits)", name.substr(0, k_prefix.size()))
                 : "not a snapshot name (nftables.conf.<unix-seconds> or NAME.nft.<unix-seconds>, 9 to 11 digits)",
             looks_like_snapshot});
    }
    std::sort(out.snapshots.begin(), out.snapshots.end(),
              [](const auto& a, const auto& b) { return std::tie(a.valid_from, a.path) < std::tie(b.valid_from, b.path); });
    std::sort(out.skipped.begin(), out.skipped.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
    return out;
}

} // namespace natfw
