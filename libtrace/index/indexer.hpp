#pragma once
// One natfw-index run: discover each directory's snapshots, parse the new
// ones and store them, all in one transaction.
#include <SQLiteCpp/Database.h>

#include "util/ipv4.hpp"
#include "util/ipv6.hpp"
#include "util/time_format.hpp"

#include <filesystem>
#include <optional>
#include <iosfwd>
#include <string>
#include <vector>

namespace natfw {

struct IndexOptions {
    std::vector<std::filesystem::path> dirs;
    /// Names the node of the single directory; empty: each directory's absolute path.
    std::string node_name;
    bool verbose = false;
    /// --masquerade-address: the single node's own public address from
    /// `masquerade_from` on (what its MASQUERADE rules translate to).
    std::optional<Ipv4> masquerade_address;
    /// The same for IPv6 (what ip6 MASQUERADE translates to).
    std::optional<Ipv6> masquerade_address6;
    UnixSeconds masquerade_from = 0;
};

struct IndexSummary {
    int indexed = 0;          ///< new snapshots stored (usable or not)
    int unusable = 0;         ///< of those, unusable
    int unchanged = 0;        ///< already indexed and unchanged
    int file_errors = 0;      ///< could not be read, or hold no *nat table
    int integrity_errors = 0; ///< content changed after indexing
    /// 0, or 1 when a file could not be read or changed after indexing.
    /// No file error and no indexed file changed.
    bool clean() const { return file_errors == 0 && integrity_errors == 0; }
};

/// The node name for a directory when --node is not given.
std::string default_node_name(const std::filesystem::path& dir);

/// Indexes every directory; diagnostics (with file and line) go to `diag`.
/// Throws only for failures of the index itself; the transaction then rolls back.
IndexSummary index_directories(SQLite::Database& db, const IndexOptions& options, std::ostream& diag);

} // namespace natfw
