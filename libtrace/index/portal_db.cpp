#include "index/portal_db.hpp"

#include "store/statements.hpp"
#include "util/errors.hpp"
#include "util/ip_address.hpp"
#include "util/time_parse.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <array>
#include <ctime>
#include <limits>
#include <set>

namespace natfw {

namespace {

constexpr std::int64_t k_us = 1'000'000;
/// Waits this long for a portal that holds a write lock (rollback journal); never longer.
constexpr int k_portal_busy_ms = 2'000;
constexpr std::array<const char*, 8> k_columns{"user_id",  "profile_id", "vpn_proto",    "connection_id",
                                               "ip_four",  "ip_six",     "connected_at", "disconnected_at"};

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

/// The day (YYYY-MM-DD, UTC) before `t`: rows are re-read from its start,
/// which any ISO 8601 text of a later time sorts after.
std::string day_before(UnixMicros t)
{
    std::time_t s = static_cast<std::time_t>(t / k_us) - 86400;
    std::tm tm{};
    gmtime_r(&s, &tm);
    return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

} // namespace

PortalReadResult read_portal_db(SessionStore& store, SourceState& source, const std::string& path,
                                std::ostream& diag)
{
    PortalReadResult r;
    std::unique_ptr<SQLite::Database> portal;
    try {
        // Read-only, and never creating -wal/-shm of our own making.
        portal = std::make_unique<SQLite::Database>("file:" + path + "?mode=ro",
                                                    SQLite::OPEN_READONLY | SQLite::OPEN_URI, k_portal_busy_ms);
        check_columns(*portal, path);
    } catch (const SQLite::Exception& e) {
        throw FileError(fmt::format("{}: cannot read the portal database: {}", path, e.what()));
    }
    // resume.last_time: the newest connected_at seen; resume.offset: the
    // oldest connected_at still open then (0: none).
    UnixMicros since = source.resume.last_time;
    if (source.resume.offset > 0)
        since = std::min(since, source.resume.offset);
    SQLite::Statement rows(*portal, sql::k_portal_rows_since);
    rows.bind(1, since > 0 ? day_before(since) : std::string());
    // Rows from the day before are read again: what they gave last time is not new.
    store.expect_repeats(source.id, since > 0 ? since - 2 * 86'400 * k_us : std::numeric_limits<std::int64_t>::min());
    TimeParser utc("UTC");
    UnixMicros newest = source.resume.last_time, oldest_open = 0;
    ConnectionEvent e;
    auto parse_time = [&](const SQLite::Column& c, UnixMicros& out) {
        try {
            out = utc.parse(c.getString()).instants.front() * k_us;
            return true;
        } catch (const Error&) {
            return false;
        }
    };
    while (rows.executeStep()) {
        ++r.rows;
        e.user = rows.getColumn(0).getString();
        e.profile = rows.getColumn(1).getString();
        e.vpn_proto = rows.getColumn(2).getString();
        e.connection = rows.getColumn(3).getString();
        auto ip4 = canonical_address(rows.getColumn(4).getString());
        auto ip6 = canonical_address(rows.getColumn(5).getString());
        UnixMicros connected = 0, disconnected = 0;
        bool open = rows.getColumn(7).isNull();
        if (e.user.empty() || e.connection.empty() || (!ip4 && !ip6) || !parse_time(rows.getColumn(6), connected) ||
            (!open && !parse_time(rows.getColumn(7), disconnected))) {
            if (r.malformed++ < 5)
                fmt::print(diag, "warning: {}: connection_log row (user {}, connection {}, connected_at {}): values "
                                 "the portal does not write; skipped\n",
                           path, e.user, e.connection, rows.getColumn(6).getString());
            continue;
        }
        e.ip4 = ip4 && !is_ipv6_text(*ip4) ? *ip4 : "";
        e.ip6 = ip6 && is_ipv6_text(*ip6) ? *ip6 : "";
        e.originating.clear();
        e.position = connected; // a row is its content: no stable row id
        e.kind = EventKind::connect;
        e.time = connected;
        r.new_events += store.add_event(source.id, e);
        if (!open) {
            e.kind = EventKind::disconnect;
            e.time = disconnected;
            r.new_events += store.add_event(source.id, e);
        } else if (oldest_open == 0 || connected < oldest_open) {
            oldest_open = connected;
        }
        newest = std::max(newest, connected);
        UnixMicros last = open ? connected : std::max(connected, disconnected);
        source.covered_from = source.covered_from ? std::min(*source.covered_from, connected) : connected;
        source.covered_to = source.covered_to ? std::max(*source.covered_to, last) : last;
    }
    source.resume.last_time = newest;
    source.resume.offset = oldest_open;
    return r;
}

} // namespace natfw
