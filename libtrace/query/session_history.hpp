#pragma once
// Where lookups read the VPN's sessions from: which sessions held an address
// in a time window, a user's sessions, and what each source covers. Beside
// History (the NAT rules), selected for the same Answer.
#include "parse/connection_event.hpp"
#include "util/ipv4.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace natfw {

/// One report of a session's event: which source, where in it.
struct SessionEvidence {
    char event = 'C';       ///< C or D
    UnixMicros time = 0;
    std::string source_kind; ///< log, db, spool
    std::string source;      ///< file path or database path
    std::int64_t position = 0; ///< line (log, spool) or the row's connected_at in microseconds (db)
};

struct SessionRecord {
    std::int64_t id = 0;
    std::string user, profile, connection, vpn_proto, ip4, ip6, originating;
    std::optional<UnixMicros> connected_at, disconnected_at;
    std::string ended_by; ///< "disconnect", "inferred" or empty (still open)
    std::string inferred_why;
    std::vector<SessionEvidence> evidence;
    /// Whether it held its address at some instant of [from, to].
    bool overlaps(UnixMicros from, UnixMicros to) const
    {
        return (!connected_at || *connected_at <= to) && (!disconnected_at || *disconnected_at >= from);
    }
};

struct SourceCoverage {
    std::string kind, name;
    std::optional<UnixMicros> from, to;
    bool covers(UnixMicros t) const { return from && to && *from <= t && t <= *to; }
};

/// Not for sharing between threads (prepared statements).
class SessionHistory {
public:
    /// `single`: sessions with their evidence, read per lookup. `batch`: without
    /// evidence (a batch row shows users only), and each IPv4 address's
    /// sessions kept once read, since complaint batches name the same
    /// addresses again and again (at most k_batch_cached_addresses of them).
    enum class Mode { single, batch };
    explicit SessionHistory(SQLite::Database& db, Mode mode = Mode::single);
    static constexpr std::size_t k_batch_cached_addresses = 1 << 16;

    /// Whether any session source was ever ingested; if not, lookups say nothing of users.
    bool indexed() const { return !m_sources.empty(); }
    /// Coverage per source; it starts no earlier than forgotten_before().
    const std::vector<SourceCoverage>& sources() const { return m_sources; }
    /// Sessions that ended before this were forgotten on the admin's word (retention).
    std::optional<UnixMicros> forgotten_before() const { return m_forgotten_before; }

    /// Sessions that held `address` (IPv4 or IPv6, canonical) at some instant of [from, to].
    void holding(const std::string& address, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out);
    /// Sessions holding an IPv4 address of `range` at some instant of [from, to].
    void holding(Ipv4Range range, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out);
    /// The user's sessions overlapping [from, to].
    std::vector<SessionRecord> of_user(const std::string& user, UnixMicros from, UnixMicros to);

private:
    SessionRecord read_row(SQLite::Statement& st);
    void scan_back(SQLite::Statement& st, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out);
    /// scan_back over a kept list, with the same order and the same stop.
    void scan_back_kept(std::int64_t ip, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out);

    SQLite::Database& m_db;
    std::vector<SourceCoverage> m_sources;
    std::optional<UnixMicros> m_forgotten_before;
    Mode m_mode;
    std::unordered_map<std::int64_t, std::vector<SessionRecord>> m_by_ip4; ///< Mode::batch
    std::optional<SQLite::Statement> m_ip4_all;
    std::optional<SQLite::Statement> m_ip4, m_ip6, m_range, m_evidence;
};

} // namespace natfw
