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

struct GenerateOptions {
    std::string public_ip;
    std::vector<std::string> networks; ///< CIDR or CIDR:N, as given
    bool dry_run = false;              ///< print the ruleset, touch nothing
    UnixSeconds stamp = 0;
    std::filesystem::path link = "/etc/iptables/rules.v4";
    std::optional<std::string> reload = std::string("service netfilter-persistent restart"); ///< none: --no-reload
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
