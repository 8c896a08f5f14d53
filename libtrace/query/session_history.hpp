#pragma once
// Where lookups read the VPN's sessions from: which sessions held an address
// in a time window, a user's sessions, and what each source covers. Beside
// History (the NAT rules), selected for the same Answer.
#include "parse/connection_event.hpp"
#include "query/session_cache.hpp"
#include "query/session_record.hpp"
#include "store/event_blocks.hpp"
#include "store/session_blocks.hpp"
#include "util/ipv4.hpp"
#include "util/ipv6.hpp"
#include "util/search_in_step.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <absl/container/flat_hash_map.h>

#include <cstdint>
#include <optional>
#include <span>
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
    /// evidence (a batch row shows users only), and each /24's session block
    /// kept once read for sole_holder() and held(), since complaint batches
    /// name the same addresses again and again (query/session_cache.hpp).
    enum class Mode { single, batch };
    /// `cache`: where Mode::batch keeps the lists, shared by a batch's workers
    /// (one of its own when none is given).
    explicit SessionHistory(SQLite::Database& db, Mode mode = Mode::single, std::shared_ptr<SessionCache> cache = {});

    Mode mode() const { return m_mode; }
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
    /// What the session block says of an IPv4 address near a window.
    struct Holder {
        enum class Kind {
            sole,   ///< exactly one session held it in [from - margin, to + margin], and in [from, to]
            nobody, ///< no session held it in [from - margin, to + margin]
            other,  ///< anything else: attribution takes the general way
        } kind = Kind::other;
        std::string_view user; ///< sole: its user, valid until the next call
    };
    /// Mode::batch only (else `other`): a batch row's common cases, read
    /// from the /24's block without building SessionRecords; holding() over
    /// the same window finds the same sessions.
    Holder sole_holder(Ipv4 ip, UnixMicros from, UnixMicros to, UnixMicros margin);
    struct HolderQuestion {
        Ipv4 ip = 0;
        UnixMicros from = 0, to = 0;
        friend bool operator==(const HolderQuestion&, const HolderQuestion&) = default;
    };
    /// sole_holder() for each question, into `out` (as many): the memory
    /// every question reads is asked for before any is answered, so that
    /// their waits overlap (a batch's rows come in random order, and each
    /// question reads an address's times from memory the processor's caches
    /// rarely hold). The users are valid until this object is called again.
    /// At most k_max_questions at a time (each may bring a /24's block, and
    /// those blocks must stay while the views into them are read).
    static constexpr std::size_t k_max_questions = 1024;
    void sole_holders(std::span<const HolderQuestion> questions, UnixMicros margin, std::span<Holder> out);
    /// Whether a session held `address` at some instant of [from, to]: what
    /// holding() finds, from the block in Mode::batch.
    bool held(const std::string& address, UnixMicros from, UnixMicros to);
    /// The user's sessions overlapping [from, to].
    std::vector<SessionRecord> of_user(const std::string& user, UnixMicros from, UnixMicros to);

private:
    SessionRecord read_row(SQLite::Statement& st);
    /// Steps `st` (an address's sessions, newest start first, each one's end
    /// in column `end_column`) back until k_ended_before_window of them ended
    /// before `from`; read_whole() reads the step's session, for those that may overlap.
    template <typename ReadWhole>
    void scan_back(SQLite::Statement& st, int end_column, UnixMicros from, UnixMicros to,
                   std::vector<SessionRecord>& out, ReadWhole&& read_whole);
    /// The sessions of an IPv4 address from its /24's block, read once per batch.
    SessionBlock::View kept(Ipv4 ip);
    /// How many sessions of `list` started at or before `to`.
    static std::size_t started_by(const SessionBlock::View& list, UnixMicros to);
    /// sole_holder() on the sessions of the address; `end` = started_by(list, to + margin).
    static Holder holder_in(const SessionBlock::View& list, std::size_t end, UnixMicros from, UnixMicros to,
                            UnixMicros margin);
    /// Calls visit(i) for each session of `list` overlapping [from, to] in
    /// scan_back's order and with its stop, until visit returns false;
    /// `end` = started_by(list, to).
    template <typename Visit>
    static void walk_block(const SessionBlock::View& list, std::size_t end, UnixMicros from, Visit&& visit);

    SQLite::Database& m_db;
    std::vector<SourceCoverage> m_sources;
    std::optional<UnixMicros> m_forgotten_before;
    Mode m_mode;
    std::shared_ptr<SessionCache> m_blocks; ///< Mode::batch
    /// In front of m_blocks: a batch meets a few dozen /24s, so this map
    /// stays in the processor's caches where a table per address did not.
    /// A flat one: every batch row looks its /24 up here.
    absl::flat_hash_map<std::uint32_t, std::shared_ptr<const SessionBlock>> m_local_blocks;
    static constexpr std::size_t k_max_local_blocks = 4096;
    const SessionBlock* m_last_block = nullptr; ///< the last one used
    std::vector<SessionBlock::View> m_views;    ///< sole_holders()'s
    std::vector<std::size_t> m_ends;            ///< sole_holders()'s: started_by() per question
    std::vector<SortedSearch<UnixMicros>> m_searches; ///< sole_holders()'s: the searches giving m_ends
    SearchInStep<UnixMicros> m_search;
    SessionBlockReader m_block_reader;
    std::optional<SQLite::Statement> m_ip4_ends, m_by_id, m_ip6, m_range, m_ip6_window, m_evidence;
    std::optional<EventReader> m_events;
    std::unordered_map<std::int64_t, std::pair<std::string, std::string>> m_source_names; ///< id -> kind, name
};

} // namespace natfw
