#pragma once
// Where lookups read the VPN's sessions from: which sessions held an address
// in a time window, a user's sessions, and what each source covers. Beside
// History (the NAT rules), selected for the same Answer.
#include "parse/connection_event.hpp"
#include "query/session_cache.hpp"
#include "query/session_record.hpp"
#include "store/event_blocks.hpp"
#include "util/ipv4.hpp"
#include "util/ipv6.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace natfw {

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
    /// addresses again and again (query/session_cache.hpp).
    enum class Mode { single, batch };
    /// `cache`: where Mode::batch keeps the lists, shared by a batch's workers
    /// (one of its own when none is given).
    explicit SessionHistory(SQLite::Database& db, Mode mode = Mode::single, std::shared_ptr<SessionCache> cache = {});

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
    /// Sessions holding an IPv6 address of `range` at some instant of [from, to]
    /// (a NAT66 prefix: every IPv6 session of the window is read).
    void holding(Ipv6Range range, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out);
    /// Mode::batch only: the user of the one session that held `ip` in
    /// [from - margin, to + margin], when exactly one did and it held it in
    /// [from, to]; else null (attribution then takes the general way).
    /// Valid until the next call. A batch row's common case, without
    /// building SessionRecords.
    std::optional<std::string_view> sole_holder(Ipv4 ip, UnixMicros from, UnixMicros to, UnixMicros margin);
    /// The user's sessions overlapping [from, to].
    std::vector<SessionRecord> of_user(const std::string& user, UnixMicros from, UnixMicros to);

private:
    SessionRecord read_row(SQLite::Statement& st);
    void scan_back(SQLite::Statement& st, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out);
    /// Every session of an IPv4 address, as a batch keeps it.
    SessionCache::List read_kept(std::int64_t ip);
    /// The kept list of an IPv4 address, read once per batch.
    KeptSessions::View kept(std::int64_t ip);
    /// Calls visit(i) for each session of `list` overlapping [from, to] in
    /// scan_back's order and with its stop, until visit returns false.
    template <typename Visit>
    void walk_kept(const KeptSessions::View& list, UnixMicros from, UnixMicros to, Visit&& visit);
    /// scan_back over a kept list, with the same order and the same stop.
    void scan_back_kept(std::int64_t ip, UnixMicros from, UnixMicros to, std::vector<SessionRecord>& out);

    SQLite::Database& m_db;
    std::vector<SourceCoverage> m_sources;
    std::optional<UnixMicros> m_forgotten_before;
    Mode m_mode;
    std::shared_ptr<SessionCache> m_by_ip4; ///< Mode::batch
    std::unordered_map<std::int64_t, std::shared_ptr<const SessionCache::List>> m_local_ip4; ///< in front of m_by_ip4
    struct FrontSlot {
        std::int64_t ip = 0;
        bool filled = false;
        KeptSessions::View view; ///< of a list m_local_ip4 holds
    };
    static constexpr unsigned k_front_bits = 14;
    static constexpr std::size_t k_front_slots = std::size_t{1} << k_front_bits;
    std::vector<FrontSlot> m_front; ///< in front of m_local_ip4, made on a batch's first row
    std::optional<SQLite::Statement> m_ip4_kept;
    std::optional<SQLite::Statement> m_ip4, m_ip6, m_range, m_ip6_window, m_evidence;
    std::optional<EventReader> m_events;
    std::unordered_map<std::int64_t, std::pair<std::string, std::string>> m_source_names; ///< id -> kind, name
};

} // namespace natfw
