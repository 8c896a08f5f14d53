#include "index/portal_db.hpp"

#include "store/statements.hpp"
#include "util/errors.hpp"
#include "util/file.hpp"
#include "util/ip_address.hpp"
#include "util/time_format.hpp"
#include "util/time_parse.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <endian.h>
#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <optional>
#include <memory>
#include <set>
#include <unordered_set>
#include <vector>

namespace natfw {

namespace {

constexpr std::int64_t k_us = 1'000'000;
/// Waits this long for a portal that holds a write lock (rollback journal); never longer.
constexpr int k_portal_busy_ms = 2'000;
constexpr std::array<const char*, 8> k_columns{"user_id",  "profile_id", "vpn_proto",    "connection_id",
                                               "ip_four",  "ip_six",     "connected_at", "disconnected_at"};

/// An SQLite URI that opens `path` read-only. In a URI's path '?' and '#'
/// end it and '%' escapes, so those are written escaped.
std::string read_only_uri(const std::string& path)
{
    std::string uri = "file:";
    for (char c : path)
        if (c == '%' || c == '?' || c == '#')
            uri += fmt::format("%{:02X}", static_cast<unsigned char>(c));
        else
            uri += c;
    return uri + "?mode=ro";
}

void check_columns(SQLite::Database& portal, const std::string& path)
{
    SQLite::Statement has(portal, sql::k_portal_has_connection_log);
    if (!has.executeStep() || has.getColumn(0).getInt() == 0)
        throw FileError(fmt::format("{}: no table connection_log: not a vpn-user-portal 3 database (PostgreSQL and "
                                    "MariaDB portals are not read yet)",
                                    path));
    std::set<std::string> present;
    SQLite::Statement cols(portal, sql::k_portal_columns);
    while (cols.executeStep())
        present.insert(cols.getColumn(0).getString());
    std::vector<std::string> missing;
    for (const char* c : k_columns)
        if (!present.count(c))
            missing.emplace_back(c);
    if (!missing.empty())
        throw FileError(fmt::format("{}: connection_log lacks column(s) {} (it has {}): a portal version natfw-trace "
                                    "does not know",
                                    path, fmt::join(missing, ", "), fmt::join(present, ", ")));
}

/// The portal database file as a read transaction sees it: no writer
/// changes the file while the transaction holds its read lock.
struct PortalFileState {
    FileStat stat;
    /// The header's file change counter; empty where it need not count
    /// every change (WAL, or written by an SQLite too old to say).
    std::optional<std::int64_t> counter;
};

PortalFileState file_state(SQLite::Database& portal, const std::string& path)
{
    PortalFileState s{stat_file(path), std::nullopt};
    // SQLite's own handle: opening and closing another descriptor of the
    // file would drop every POSIX lock this process holds on it.
    sqlite3_file* file = nullptr;
    std::array<unsigned char, 100> header{};
    if (sqlite3_file_control(portal.getHandle(), "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK ||
        file == nullptr || file->pMethods == nullptr ||
        file->pMethods->xRead(file, header.data(), static_cast<int>(header.size()), 0) != SQLITE_OK)
        return s;
    auto be32 = [&](std::size_t at) {
        std::uint32_t v = 0;
        std::memcpy(&v, header.data() + at, sizeof v);
        return std::int64_t{be32toh(v)};
    };
    // Bytes 18 and 19: 1 for a rollback journal, 2 for WAL. Bytes 92 on: the
    // counter when the SQLite that last wrote the file (version at 96) set
    // it; another value means an SQLite older than 3.7.0 wrote without counting.
    if (header[18] == 1 && header[19] == 1 && be32(24) == be32(92))
        s.counter = be32(24);
    return s;
}

/// How far before the newest row seen last time the rows are read again:
/// the portal stamps a row in the request that inserts it, so a row inserted
/// after a newer one is late by the length of a request, or of a step of
/// the portal's clock. Each minute of margin costs a minute of rows per run.
constexpr UnixMicros k_late_rows = 30 * 60 * k_us;
/// The portal writes connected_at in UTC, where text order is time order.
/// Rows in another offset (-12:00 to +14:00) sort up to 12 hours before or
/// 14 hours after their instant, so then the bound is 14 hours further back.
constexpr UnixMicros k_offset_span = 14 * 3600 * k_us;

/// `t` as ISO 8601 text to the second without the zone's `Z`: a prefix of
/// the portal's text for that second, so it sorts before it.
std::string utc_text(UnixMicros t)
{
    auto text = format_iso_utc(t / k_us);
    text.pop_back();
    return text;
}

bool has_offsets(SQLite::Database& portal, const std::string& from, const std::string& path)
{
    try {
        SQLite::Statement st(portal, sql::k_portal_offsets_since);
        st.bind(1, from);
        return st.executeStep() && st.getColumn(0).getInt() != 0;
    } catch (const SQLite::Exception& e) {
        throw FileError(fmt::format("{}: cannot read the portal database: {}", path, e.what()));
    }
}

/// Scanning a row costs about a fifth of looking one up by key (measured on
/// a 500,000-row table: 1 to 1.5 against 5 to 11 microseconds).
constexpr double k_scan_rows_per_lookup = 5;

/// The rows open last time that began before the newest rows (`keys`, by
/// connected_at, and their times) are read again. Scanning the rows from
/// keys[j] on, and looking up the keys before j, costs least at the j this
/// returns, with `rate` rows per microsecond up to `until`: where open rows
/// are dense (many short connections) the rows are scanned, where they are
/// sparse (WireGuard peers, open for weeks) each is looked up.
std::size_t scan_from(const std::vector<UnixMicros>& times, double rate, UnixMicros until)
{
    std::size_t best = times.size();
    double best_cost = static_cast<double>(times.size());
    for (std::size_t j = 0; j < times.size(); ++j) {
        double scanned = rate * static_cast<double>(std::max<UnixMicros>(until - times[j], 0));
        double cost = static_cast<double>(j) + scanned / k_scan_rows_per_lookup;
        if (cost < best_cost) {
            best = j;
            best_cost = cost;
        }
    }
    return best;
}

/// Reading a row by its rowid costs about as much as scanning this many rows
/// of the table in rowid order.
constexpr std::int64_t k_scan_rows_per_rowid_lookup = 4;

/// The rowid ranges that read the rows at `hints` (ascending) at least cost:
/// neighbours closer than k_scan_rows_per_rowid_lookup share a range, and no
/// range is longer than a page (`page_rows`).
std::vector<std::pair<std::int64_t, std::int64_t>> rowid_ranges(const std::vector<std::int64_t>& hints,
                                                                std::size_t page_rows)
{
    std::vector<std::pair<std::int64_t, std::int64_t>> ranges;
    const auto longest = static_cast<std::int64_t>(page_rows);
    for (auto h : hints) {
        if (!ranges.empty() && h - ranges.back().second <= k_scan_rows_per_rowid_lookup &&
            h - ranges.back().first < longest)
            ranges.back().second = h;
        else
            ranges.emplace_back(h, h);
    }
    return ranges;
}

std::string open_key(const std::string& connected_at, const std::string& connection)
{
    std::string key;
    key.reserve(connected_at.size() + 1 + connection.size());
    key += connected_at;
    key += '\n'; // in neither
    key += connection;
    return key;
}

/// The rows read whole in a run: those from `from` (connected_at as text)
/// on, whose instants are from `from_time` on; `repeats_from`: the events
/// of earlier runs they may repeat.
struct NewestRows {
    std::string from;
    UnixMicros from_time = 0;
    UnixMicros repeats_from = std::numeric_limits<std::int64_t>::max(); ///< a first read repeats nothing
};

/// Every row when `since` (the newest connected_at seen) is 0, else those
/// from k_late_rows before it, or further back where rows are not in UTC.
NewestRows newest_rows_window(SQLite::Database& portal, UnixMicros since, const std::string& path)
{
    NewestRows w;
    if (since <= 0)
        return w;
    w.from_time = since - k_late_rows;
    w.repeats_from = w.from_time;
    // A row in another offset that is at most k_late_rows older than `since`
    // sorts after this wider bound, so it is found if it exists.
    if (has_offsets(portal, utc_text(since - k_late_rows - k_offset_span), path)) {
        w.from_time = since - k_late_rows - k_offset_span;
        w.repeats_from = w.from_time - k_offset_span;
    }
    w.from = utc_text(w.from_time);
    return w;
}

struct PortalRow {
    std::string user, profile, vpn_proto, connection, ip_four, ip_six, connected_at, disconnected_at;
    bool open = false; ///< disconnected_at is NULL: still connected
    std::int64_t rowid = 0;
};

/// Copies the statement's current row (the columns of k_portal_rows_page); returns its rowid.
std::int64_t copy_row(SQLite::Statement& st, PortalRow& row)
{
    row.user = st.getColumn(0).getString();
    row.profile = st.getColumn(1).getString();
    row.vpn_proto = st.getColumn(2).getString();
    row.connection = st.getColumn(3).getString();
    row.ip_four = st.getColumn(4).getString();
    row.ip_six = st.getColumn(5).getString();
    row.connected_at = st.getColumn(6).getString();
    row.open = st.getColumn(7).isNull();
    row.disconnected_at = row.open ? std::string() : st.getColumn(7).getString();
    row.rowid = st.getColumn(8).getInt64();
    return row.rowid;
}

/// Pages of connection_log rows, copied out of the portal's database so that
/// its read lock is held only while a page is copied: the portal waits for
/// that lock to record a connection (rollback journal), and a month of rows
/// read in one statement held it for seconds. The rows and their strings are
/// kept from page to page, so that they keep their memory.
class PortalPages {
public:
    PortalPages(SQLite::Database& portal, std::size_t size) : rows(size), m_portal(portal) {}

    /// The rows from connected_at `from` on (before `to`, if given, for
    /// k_portal_rows_page_between): the next page after the last one
    /// copied; false when there are none. `by_time`: in the order of
    /// connected_at (k_portal_rows_page), else in the table's (by rowid).
    bool next(SQLite::Statement& st, const std::string& from, bool by_time, const std::string* to = nullptr)
    {
        return guarded([&] {
            st.reset();
            st.bind(1, by_time && m_after_time ? *m_after_time : from);
            st.bind(2, m_after_rowid);
            st.bind(3, static_cast<std::int64_t>(rows.size()));
            if (to)
                st.bind(4, *to);
            while (count < rows.size() && st.executeStep())
                m_after_rowid = copy_row(st, rows[count++]);
            st.reset(); // ends the read transaction before the rows are worked on
            if (count > 0)
                m_after_time = rows[count - 1].connected_at;
        });
    }

    /// The next call of next() starts from its `from` again.
    void restart()
    {
        m_after_time.reset();
        m_after_rowid = std::numeric_limits<std::int64_t>::min();
    }

    /// The rows with these keys that are still in the table, from `at` on, a page at a time.
    bool by_keys(SQLite::Statement& st, const std::vector<const PortalRowKey*>& keys, std::size_t& at)
    {
        return in_one_read([&] {
            for (; at < keys.size() && count < rows.size(); ++at) {
                st.reset();
                st.bind(1, keys[at]->connected_at);
                st.bind(2, keys[at]->connection);
                if (st.executeStep())
                    copy_row(st, rows[count++]);
            }
            st.reset();
        }) || at < keys.size();
    }

    /// The rows of rowid ranges (inclusive) from `at` on, as many ranges as a page holds.
    bool by_rowids(SQLite::Statement& st, const std::vector<std::pair<std::int64_t, std::int64_t>>& ranges,
                   std::size_t& at)
    {
        return in_one_read([&] {
            for (; at < ranges.size(); ++at) {
                auto [lo, hi] = ranges[at];
                if (count + static_cast<std::size_t>(hi - lo + 1) > rows.size())
                    break;
                st.reset();
                st.bind(1, lo);
                st.bind(2, hi);
                while (st.executeStep())
                    copy_row(st, rows[count++]);
            }
            st.reset();
        }) || at < ranges.size();
    }

    std::vector<PortalRow> rows;
    std::size_t count = 0;

private:
    /// guarded(), with one read lock for the page's many statements.
    template <class F>
    bool in_one_read(F&& copy)
    {
        return guarded([&] {
            SQLite::Transaction read(m_portal);
            copy();
            read.commit();
        });
    }

    template <class F>
    bool guarded(F&& copy)
    {
        count = 0;
        try {
            copy();
        } catch (const SQLite::Exception& e) {
            throw FileError(fmt::format("cannot read the portal database's connection_log: {}", e.what()));
        }
        return count > 0;
    }

    SQLite::Database& m_portal;
    std::optional<std::string> m_after_time; ///< connected_at of the last row copied
    std::int64_t m_after_rowid = std::numeric_limits<std::int64_t>::min(); ///< and its rowid
};

/// Turns rows into events, and keeps what a run learns about the source.
class RowTaker {
public:
    RowTaker(SessionStore& store, SourceState& source, const std::string& path, std::ostream& diag,
             PortalReadResult& r)
        : m_store(store), m_source(source), m_path(path), m_diag(diag), m_r(r), m_newest(source.resume.last_time)
    {
    }

    /// `connect_known`: a row open last time, read again; its CONNECT is in the index.
    void take(const PortalRow& row, bool connect_known)
    {
        ++m_r.rows;
        if (connect_known && row.open) {
            // Still open: its CONNECT, time and coverage were taken when it was first read.
            open_now.push_back({row.connected_at, row.connection, row.rowid});
            return;
        }
        m_e.user = row.user;
        m_e.profile = row.profile;
        m_e.vpn_proto = row.vpn_proto;
        m_e.connection = row.connection;
        auto ip4 = canonical_address(row.ip_four);
        auto ip6 = canonical_address(row.ip_six);
        UnixMicros connected = 0, disconnected = 0;
        if (m_e.user.empty() || m_e.connection.empty() || (!ip4 && !ip6) || !parse_time(row.connected_at, connected) ||
            (!row.open && !parse_time(row.disconnected_at, disconnected))) {
            if (m_r.malformed++ < 5)
                fmt::print(m_diag,
                           "warning: {}: connection_log row (user {}, connection {}, connected_at {}): values "
                           "the portal does not write; skipped\n",
                           m_path, m_e.user, m_e.connection, row.connected_at);
            return;
        }
        m_e.ip4 = ip4 && !is_ipv6_text(*ip4) ? *ip4 : "";
        m_e.ip6 = ip6 && is_ipv6_text(*ip6) ? *ip6 : "";
        m_e.originating.clear();
        m_e.position = connected; // a row is its content: no stable row id
        if (!connect_known) {
            m_e.kind = EventKind::connect;
            m_e.time = connected;
            m_r.new_events += m_store.add_event(m_source.id, m_e);
        }
        if (!row.open) {
            m_e.kind = EventKind::disconnect;
            m_e.time = disconnected;
            m_r.new_events += m_store.add_event(m_source.id, m_e);
        } else {
            open_now.push_back({row.connected_at, row.connection, row.rowid});
        }
        m_newest = std::max(m_newest, connected);
        UnixMicros last = row.open ? connected : std::max(connected, disconnected);
        m_source.covered_from = m_source.covered_from ? std::min(*m_source.covered_from, connected) : connected;
        m_source.covered_to = m_source.covered_to ? std::max(*m_source.covered_to, last) : last;
    }

    UnixMicros newest() const { return m_newest; }
    /// A connected_at text as the index took it before (else `otherwise`).
    UnixMicros time_of(const std::string& text, UnixMicros otherwise)
    {
        UnixMicros t = 0;
        return parse_time(text, t) ? t : otherwise;
    }
    std::vector<PortalRowKey> open_now;

private:
    bool parse_time(const std::string& text, UnixMicros& out)
    {
        try {
            out = m_utc.parse(text).instants.front() * k_us;
            return true;
        } catch (const Error&) {
            return false;
        }
    }

    SessionStore& m_store;
    SourceState& m_source;
    const std::string& m_path;
    std::ostream& m_diag;
    PortalReadResult& m_r;
    UnixMicros m_newest;
    TimeParser m_utc{"UTC"};
    ConnectionEvent m_e;
};

} // namespace

PortalReadResult read_portal_db(SessionStore& store, SourceState& source, const std::string& path,
                                std::ostream& diag, std::size_t page_rows)
{
    PortalReadResult r;
    std::unique_ptr<SQLite::Database> portal;
    std::unique_ptr<SQLite::Statement> rows, by_key, between, by_rowid;
    bool by_time = false;
    PortalFileState state;
    try {
        // Read-only, and never creating -wal/-shm of our own making.
        portal = std::make_unique<SQLite::Database>(read_only_uri(path),
                                                    SQLite::OPEN_READONLY | SQLite::OPEN_URI, k_portal_busy_ms);
        SQLite::Transaction read(*portal); // one read lock for the checks and the header
        check_columns(*portal, path);
        state = file_state(*portal, path);
        read.commit();
        if (!source.is_new && state.counter && source.change_counter == state.counter &&
            source.size == state.stat.size && source.mtime_ns == state.stat.mtime_ns) {
            r.unchanged = true;
            return r;
        }
        SQLite::Statement indexed(*portal, sql::k_portal_connected_at_indexed);
        by_time = indexed.executeStep() && indexed.getColumn(0).getInt() != 0;
        rows = std::make_unique<SQLite::Statement>(
            *portal, by_time ? sql::k_portal_rows_page : sql::k_portal_rows_page_by_rowid);
        by_key = std::make_unique<SQLite::Statement>(*portal, sql::k_portal_row_by_key);
        between = std::make_unique<SQLite::Statement>(*portal, sql::k_portal_rows_page_between);
        by_rowid = std::make_unique<SQLite::Statement>(*portal, sql::k_portal_rows_by_rowid);
    } catch (const SQLite::Exception& e) {
        throw FileError(fmt::format("{}: cannot read the portal database: {}", path, e.what()));
    }
    auto open_before = store.portal_open_rows(source.id);
    // resume.last_time: the newest connected_at seen. resume.offset: the
    // oldest connected_at still open then, kept by indexes before schema 16,
    // whose next run reads from there once (after it, the open rows are listed).
    UnixMicros since = source.resume.last_time;
    if (source.resume.offset > 0)
        since = std::min(since, source.resume.offset);
    auto window = newest_rows_window(*portal, since, path);
    const std::string& from = window.from;
    // What the rows from `from` on gave last time is not new.
    store.expect_repeats(source.id, window.repeats_from);
    // Every row open last time is read again, to see whether it ended: those
    // from `from` on with the newest rows, the others (`again`) after them.
    std::unordered_set<std::string> open_keys;
    open_keys.reserve(open_before.size());
    std::vector<const PortalRowKey*> again;
    for (const auto& k : open_before)
        if (open_keys.insert(open_key(k.connected_at, k.connection)).second && k.connected_at < from)
            again.push_back(&k);
    RowTaker taker(store, source, path, diag, r);
    taker.open_now.reserve(open_before.size());
    PortalPages pages(*portal, std::max<std::size_t>(page_rows, 1));
    auto take_pages = [&](SQLite::Statement& st, const std::string& lo, const std::string* hi) {
        pages.restart();
        while (pages.next(st, lo, by_time, hi))
            for (std::size_t i = 0; i < pages.count; ++i) {
                const auto& row = pages.rows[i];
                if (row.connected_at >= from) {
                    if (!open_keys.empty())
                        open_keys.erase(open_key(row.connected_at, row.connection));
                    taker.take(row, false);
                } else if (open_keys.erase(open_key(row.connected_at, row.connection))) {
                    taker.take(row, true);
                }
            }
    };
    if (!by_time) {
        // Without the index every read is a scan of the table: one, from the oldest open row.
        take_pages(*rows, again.empty() ? from : again.front()->connected_at, nullptr);
    } else {
        std::int64_t newest_rows = r.rows;
        take_pages(*rows, from, nullptr);
        newest_rows = r.rows - newest_rows;
        // Where the rows were last time, if they are still there; the rest by key.
        std::vector<std::int64_t> hints;
        for (const auto* k : again)
            if (k->row_hint != 0)
                hints.push_back(k->row_hint);
        std::sort(hints.begin(), hints.end());
        auto ranges = rowid_ranges(hints, pages.rows.size());
        for (std::size_t at = 0; pages.by_rowids(*by_rowid, ranges, at);)
            for (std::size_t i = 0; i < pages.count; ++i)
                if (open_keys.erase(open_key(pages.rows[i].connected_at, pages.rows[i].connection)))
                    taker.take(pages.rows[i], true);
        std::erase_if(again, [&](const PortalRowKey* k) { return !open_keys.count(open_key(k->connected_at,
                                                                                          k->connection)); });
        std::vector<UnixMicros> times;
        for (const auto* k : again)
            times.push_back(taker.time_of(k->connected_at, window.from_time));
        UnixMicros span = std::max<UnixMicros>(taker.newest() - window.from_time, 1);
        std::size_t j =
            scan_from(times, static_cast<double>(newest_rows) / static_cast<double>(span), window.from_time);
        if (j < again.size())
            take_pages(*between, again[j]->connected_at, &from);
        again.resize(j);
        for (std::size_t at = 0; pages.by_keys(*by_key, again, at);)
            for (std::size_t i = 0; i < pages.count; ++i)
                if (open_keys.erase(open_key(pages.rows[i].connected_at, pages.rows[i].connection)))
                    taker.take(pages.rows[i], true);
    }
    if (!open_keys.empty())
        fmt::print(diag,
                   "notice: {}: {} row(s) open when last read are no longer in connection_log; their sessions stay "
                   "open until the address or connection is used again\n",
                   path, open_keys.size());
    std::sort(taker.open_now.begin(), taker.open_now.end());
    // One entry per key (the list's primary key), even if the portal has a row twice.
    taker.open_now.erase(std::unique(taker.open_now.begin(), taker.open_now.end(),
                                     [](const PortalRowKey& a, const PortalRowKey& b) {
                                         return a.connected_at == b.connected_at && a.connection == b.connection;
                                     }),
                         taker.open_now.end());
    if (taker.open_now != open_before) // the same list, in the same order: nothing to write
        store.set_portal_open_rows(source.id, taker.open_now);
    source.resume.last_time = taker.newest();
    source.resume.offset = 0;
    // As the run began: a change while it read is seen next time.
    source.size = state.stat.size;
    source.mtime_ns = state.stat.mtime_ns;
    source.change_counter = state.counter;
    return r;
}

} // namespace natfw
