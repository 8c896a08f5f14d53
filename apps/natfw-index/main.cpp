// natfw-index: parse snapshot files into the index (see README, "natfw-index").
#include "../cli_common.hpp"
#include "index/index_report.hpp"
#include "index/indexer.hpp"
#include "index/session_ingest.hpp"
#include "index/session_retention.hpp"
#include "query/query_input.hpp"
#include "util/clock.hpp"
#include "util/time_format.hpp"

#include <algorithm>
#include <iostream>

int main(int argc, char** argv)
{
    using namespace natfw;
    CLI::App app{"Index iptables snapshot files (rules.v4.<unix-seconds>) for natfw-trace.", "natfw-index"};
    app.footer("Exit status: 0 indexed (warnings and unusable snapshots allowed), 1 a file could not be read\n"
               "or changed after it was indexed (integrity error), 2 usage error, 4 the index is missing (--list,\n"
               "--verify) or cannot be opened or written, or another indexer held it longer than --lock-timeout.");
    std::string db_path;
    IndexOptions options;
    bool list = false;
    bool verify = false;
    std::vector<std::string> dirs;
    cli::add_common_options(app, db_path, "natfw-index");
    app.add_option("--node", options.node_name, "node name for a single DIR (default: its absolute path)");
    app.add_flag("-v,--verbose", options.verbose, "say which files were skipped and why");
    auto* list_opt = app.add_flag("--list", list, "list the indexed snapshots per node, and the session sources");
    app.add_flag("--verify", verify, "re-hash every indexed file; report changed and missing ones")->excludes(list_opt);
    std::int64_t lock_timeout = k_default_lock_timeout.count();
    std::string masquerade_address, masquerade_from;
    auto* masq_opt = app.add_option("--masquerade-address", masquerade_address,
                                    "record the node's own public address (what its MASQUERADE rules use); one DIR");
    app.add_option("--masquerade-from", masquerade_from,
                   "with --masquerade-address: the time it holds from (default: the start of history)")
        ->needs(masq_opt);
    app.add_option("--lock-timeout", lock_timeout, "seconds to wait while another indexer runs on the same index")
        ->capture_default_str()
        ->check(CLI::Range(0, 86400));
    SessionIngestOptions sessions;
    app.add_option("--connection-log", sessions.logs,
                   "ingest VPN sessions from this syslog file or journal export (plain or .gz; - for standard input); "
                   "repeatable");
    app.add_option("--session-spool", sessions.spools, "ingest the spool natfw-session-hook appends to; repeatable");
    app.add_option("--portal-db", sessions.portal_dbs,
                   "ingest VPN sessions from the portal's SQLite database (read-only), e.g. "
                   "/var/lib/vpn-user-portal/db.sqlite");
    app.add_option("--tz", sessions.tz, "zone of log lines written without one (default: $TZ, else the system's)");
    sessions.log_year = std::nullopt;
    int log_year = 0;
    auto* year_opt = app.add_option("--log-year", log_year,
                                    "the year of the first line of logs written without years (default: found from "
                                    "the file's modification time)")
                         ->check(CLI::Range(1970, 9999));
    std::string keep_sessions, forget_before;
    app.add_option("--keep-sessions", keep_sessions,
                   "keep VPN sessions this long after they end (e.g. 400d), stored in the index and applied at "
                   "every run; 'forever' to stop forgetting");
    app.add_option("--forget-sessions-before", forget_before,
                   "forget now every VPN session that ended before TIME, and its events");
    bool upgrade = false;
    app.add_flag("--upgrade", upgrade,
                 "bring an existing index's schema up to this version and exit (the package's postinst runs it)")
        ->excludes(list_opt);
    app.add_option("DIR", dirs, "snapshot directories, one node each (default: /etc/iptables)");
    if (int rc = cli::parse(app, argc, argv); rc >= 0)
        return rc;

    return cli::run("natfw-index", cli::ExitStatus::index_unavailable, [&] {
        auto path = db_path.empty() ? default_db_path() : std::filesystem::path(db_path);
        if (list || verify) {
            if (!dirs.empty() || !options.node_name.empty())
                throw UsageError("--list and --verify take no DIR or --node");
            auto db = open_index_for_reading(path);
            if (list) {
                list_index(*db, std::cout);
                return cli::ExitStatus::ok;
            }
            return cli::ok_or_failed(verify_index(*db, std::cout, std::cerr).clean());
        }
        if (upgrade) {
            if (!dirs.empty() || sessions.any() || verify)
                throw UsageError("--upgrade takes no DIR, session source or --verify");
            // Only an index that is there: a fresh install has none until the first run.
            const int was = index_schema_version(path);
            auto lock = lock_index_for_writing(path, std::chrono::seconds(lock_timeout), std::cerr);
            open_index_for_writing(path, &std::cerr);
            std::cerr << fmt::format("natfw-index: {} is at schema version {}{}\n", path.string(),
                                     latest_schema_version(),
                                     was == latest_schema_version() ? " (nothing to upgrade)"
                                                                    : fmt::format(" (was {})", was));
            return cli::ExitStatus::ok;
        }
        if (year_opt->count())
            sessions.log_year = log_year;
        if (std::count(sessions.logs.begin(), sessions.logs.end(), "-") > 1)
            throw UsageError("--connection-log - (standard input) can be given once");
        RetentionOptions retention;
        if (keep_sessions == "forever")
            retention.keep = std::optional<std::int64_t>();
        else if (!keep_sessions.empty())
            retention.keep = parse_duration(keep_sessions, "--keep-sessions");
        if (retention.keep && *retention.keep && **retention.keep < 86400)
            throw UsageError("--keep-sessions: keep them at least 1d (sessions are forgotten by whole days)");
        if (!forget_before.empty())
            retention.forget_before = TimeParser(sessions.tz).parse(forget_before).instants.front();
        const bool retention_only = retention.keep || retention.forget_before;
        // Session sources (or retention) alone index no snapshot directory unless one is named.
        if (dirs.empty() && !sessions.any() && !retention_only)
            dirs.push_back("/etc/iptables");
        if (!options.node_name.empty() && dirs.size() > 1)
            throw UsageError("--node names one node: give a single DIR with it");
        for (const auto& d : dirs)
            options.dirs.emplace_back(d);
        if (!masquerade_address.empty()) {
            if (dirs.size() != 1)
                throw UsageError("--masquerade-address names one node's address: give a single DIR with it");
            if (masquerade_address.find(':') != std::string::npos) {
                options.masquerade_address6 = parse_ipv6(masquerade_address);
                if (!options.masquerade_address6)
                    throw UsageError(fmt::format("--masquerade-address: \"{}\" is not an IPv4 or IPv6 address",
                                                 masquerade_address));
            } else {
                options.masquerade_address = parse_ip_arg(masquerade_address);
            }
            if (!masquerade_from.empty())
                options.masquerade_from = TimeParser().parse(masquerade_from).instants.front();
        }
        auto lock = lock_index_for_writing(path, std::chrono::seconds(lock_timeout), std::cerr);
        auto db = open_index_for_writing(path, &std::cerr);
        IndexSummary summary;
        if (!dirs.empty())
            summary = index_directories(*db, options, std::cerr);
        bool sessions_clean = true;
        std::int64_t last_new_events = 0;
        if (sessions.any()) {
            sessions.verbose = options.verbose;
            auto s = ingest_sessions(*db, sessions, std::cerr);
            sessions_clean = s.clean();
            last_new_events = s.new_events;
            if (s.forgotten_skipped)
                std::cerr << fmt::format("natfw-index: sessions: {} event(s) before the retention horizon not "
                                         "taken again (they were forgotten)\n",
                                         s.forgotten_skipped);
            if (options.verbose || s.new_events || s.malformed || !s.clean())
                std::cerr << fmt::format("natfw-index: sessions: {} source(s) read, {} line(s)/row(s), {} new event(s), "
                                     "{} not understood, {} source error(s){}\n",
                                     s.sources_read, s.lines, s.new_events, s.malformed, s.source_errors,
                                     s.new_events ? fmt::format("; {} session(s) in the index", s.sessions) : "");
        }
        const bool wrote = summary.indexed > 0 || last_new_events > 0;
        auto r = apply_session_retention(*db, retention, now_seconds());
        if (r.moved)
            std::cerr << fmt::format("natfw-index: sessions: forgot {} session(s) and {} event(s) that ended "
                                     "before {} (retention)\n",
                                     r.sessions_forgotten, r.events_forgotten,
                                     format_iso_utc(*r.horizon / 1'000'000));
        else if (retention.forget_before && r.horizon)
            std::cerr << fmt::format("natfw-index: sessions: nothing more to forget: sessions that ended before {} "
                                     "are forgotten already\n",
                                     format_iso_utc(*r.horizon / 1'000'000));
        if ((wrote || r.moved) && !truncate_wal(*db) && r.moved)
            std::cerr << "natfw-index: warning: a reader kept the write-ahead log busy, so forgotten rows may "
                         "stay in it until the next run\n";
        if (dirs.empty())
            return cli::ok_or_failed(sessions_clean);
        if (options.verbose || summary.indexed || !summary.clean())
            std::cerr << fmt::format("natfw-index: {} new snapshot(s) indexed ({} unusable), {} unchanged, {} "
                                     "file error(s), {} changed after indexing\n",
                                     summary.indexed, summary.unusable, summary.unchanged, summary.file_errors,
                                     summary.integrity_errors);
        return cli::ok_or_failed(summary.clean() && sessions_clean);
    });
}
