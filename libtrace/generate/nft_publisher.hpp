#pragma once
// Putting a new natfw table into force on an nftables host. The file an
// admin includes from /etc/nftables.conf (FILE, e.g. natfw.nft) is replaced in
// one rename and loaded with one `nft -f` transaction; the snapshot recorded
// beside it (FILE.<stamp>) is not that file but the whole ruleset the kernel
// lists afterwards, because a masquerade outside natfw's table could hand
// out a port a block claims, and only the whole ruleset shows it.
#include "generate/snapshot_publisher.hpp"

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

struct NftPublishOptions {
    std::filesystem::path file;       ///< the include file; snapshots are FILE.<stamp>
    UnixSeconds stamp = 0;
    std::vector<std::string> reload;  ///< argv that loads FILE (nft -f FILE)
    std::vector<std::string> list;    ///< argv that prints the whole ruleset (nft list ruleset)
    std::string table;                ///< "ip natfw": the listing must hold it
};

/// When FILE holds the same table apart from its date comment: unchanged,
/// unless the ruleset the kernel lists differs from the newest snapshot
/// (counts aside), which is then recorded as FILE.<stamp> (recorded).
/// Otherwise: refuses a stamp that is not the newest, replaces FILE, runs the
/// reload and the listing, and writes the listing as FILE.<stamp>. When the
/// reload or the listing fails, or the listing lacks the table (FILE is not
/// what the reload loads), FILE gets its old content back (reloaded, after a
/// listing failure, so that the kernel holds what the last snapshot shows) and
/// the refused file is kept as FILE.<stamp>.failed. Throws Error when it
/// refuses or a file-system step fails before the reload.
PublishResult publish_nft(const NftPublishOptions& options, std::string_view content, std::ostream& diag);

} // namespace natfw
