#pragma once
// One natfw-generate run: client networks -> ruleset text -> snapshot put in
// force (or printed) -> index updated.
#include "util/time_format.hpp"

#include <chrono>
#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

namespace natfw {

enum class RulesetFormat {
    iptables, ///< rules.v4.<stamp> beside the rules.v4 symlink, as the seed generator writes it
    nft,      ///< a natfw table file to include from /etc/nftables.conf; the snapshot is nft list ruleset
};

/// Defaults that depend on the format.
inline constexpr const char* k_default_nft_file = "/etc/nftables.d/natfw.nft";
inline constexpr const char* k_default_nft_list = "nft list ruleset";

struct GenerateOptions {
    RulesetFormat format = RulesetFormat::iptables;
    /// The command that prints the whole ruleset (nft form).
    std::string list = k_default_nft_list;
    std::string public_ip;
    std::vector<std::string> networks; ///< CIDR or CIDR:N, as given
    bool dry_run = false;              ///< print the ruleset, touch nothing
    UnixSeconds stamp = 0;
    /// The symlink (iptables form) or the table file (nft form).
    std::filesystem::path link = "/etc/iptables/rules.v4";
    /// none: --no-reload; the nft form's default is "nft -f FILE".
    std::optional<std::string> reload = std::string("service netfilter-persistent restart");
    bool avoid_ephemeral = false;
    std::optional<std::string> ephemeral_range; ///< "LO-HI"; none: the kernel's
    std::filesystem::path ephemeral_source = "/proc/sys/net/ipv4/ip_local_port_range";
    bool update_index = true;
    std::filesystem::path db;
    std::string node; ///< empty: the link's directory, as natfw-index names it
    std::chrono::seconds lock_timeout{300};
    bool verbose = false;
};

/// True when the ruleset is in force and indexed as asked, or there was
/// nothing to do (or a dry run); false when the reload or the indexing
/// failed (said on `diag`). The ruleset goes to `out` with dry_run. Throws
/// UsageError for bad values, Error when it refuses.
bool run_generate(const GenerateOptions& options, std::ostream& out, std::ostream& diag);

} // namespace natfw
