// natfw-trace: which internal address was behind a public address and port
// at a time (see README, "natfw-trace"). Three modes, one run function each:
// a lookup (source NAT, or --inbound), --internal, --batch.
#include "../cli_common.hpp"
#include "batch/batch.hpp"
#include "present/audit_log.hpp"
#include "present/render.hpp"
#include "present/render_periods.hpp"
#include "present/render_user.hpp"
#include "present/xarf_batch.hpp"
#include "query/client_address.hpp"
#include "query/nat6_tracer.hpp"
#include "query/timeline6.hpp"
#include "query/forward_lookup.hpp"
#include "query/inbound.hpp"
#include "query/late_instant.hpp"
#include "query/packed_history.hpp"
#include "query/query_input.hpp"
#include "query/sql_history.hpp"
#include "query/tracer.hpp"
#include "query/user_attribution.hpp"
#include "query/user_sessions.hpp"
#include "store/statements.hpp"
#include "util/clock.hpp"
#include "util/ip_address.hpp"
#include "util/time_parse.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <thread>
#include <sys/stat.h>
#include <unistd.h>

namespace {

using namespace natfw;
using cli::ExitStatus;

/// What every mode shares.
struct Common {
    std::string db_path, tz, node, format = "text", audit_to, skew, flow_age, stale_after = "90d";
    std::vector<std::string> argv; ///< as typed, for the audit trail
};

struct LookupOptions {
    std::vector<std::string> args; ///< TIME PUBLIC_IP PORT
    std::string proto;
    bool inbound = false;
};

/// --internal ADDRESS or --user USER_ID, with --from and --until.
struct ForwardOptions {
    std::string address, user, from, until;
};

struct BatchModeOptions {
    std::string input, output, delimiter;
    std::string xarf; ///< --xarf FILE|-: the input is XARF reports, not CSV
    BatchOptions batch;
};

std::filesystem::path index_path(const Common& c)
{
    return c.db_path.empty() ? default_db_path() : std::filesystem::path(c.db_path);
}

/// The index, or IndexUnavailable (exit 4) when it is missing or holds nothing to answer from.
std::unique_ptr<SQLite::Database> open_index(const Common& c)
{
    auto path = index_path(c);
    auto db = open_index_for_reading(path);
    if (!index_holds_history(*db))
        throw IndexUnavailable(fmt::format("the index {} holds no snapshots and no sessions; run natfw-index on the "
                                           "snapshot directories (and the connection logs) first",
                                           path.string()));
    return db;
}

void audit(const AuditTarget& target, const AuditRecord& record)
{
    if (auto problem = write_audit(target, record))
        fmt::print(stderr, "natfw-trace: warning: audit trail: {}; this {} is not recorded\n", *problem,
                   record["kind"].get<std::string>());
}

/// --skew and --flow-age as a query window.
Query window_of(const Common& c)
{
    Query q;
    set_window(q, c.skew.empty() ? 0 : parse_duration(c.skew, "--skew"),
               c.flow_age.empty() ? 0 : parse_duration(c.flow_age, "--flow-age"));
    return q;
}

/// Runs `body`; a lookup that ends in an error is audited before the error is reported.
ExitStatus audited(const AuditTarget& target, const Common& c, const std::function<ExitStatus()>& body)
{
    try {
        return body();
    } catch (const std::exception& e) {
        audit(target, audit_failed_lookup(c.argv, e.what()));
        throw;
    }
}

ExitStatus run_lookup(const Common& c, const LookupOptions& o)
{
    const AuditTarget target = parse_audit_target(c.audit_to);
    return audited(target, c, [&] {
        Query q = make_query(o.args, o.proto, c.node, TimeParser(c.tz));
        const UnixSeconds stale_after = parse_duration(c.stale_after, "--stale-after");
        const Query w = window_of(c);
        q.window_before = w.window_before;
        q.window_after = w.window_after;
        if (o.inbound && q.has_window())
            throw UsageError("--skew and --flow-age are not supported with --inbound");
        q.inbound = o.inbound;
        if ((q.client || is_ipv6_text(q.address)) && o.inbound)
            throw UsageError("--inbound needs TIME PUBLIC_IP PORT with an IPv4 address");
        auto db = open_index(c);
        SqlHistory history(*db);
        SessionHistory sessions(*db);
        if (q.client && q.port == 0 && !is_ipv6_text(q.address) && !sessions.indexed())
            throw UsageError("no port: give TIME PUBLIC_IP PORT (the port may be left out only for a VPN client's "
                             "own address, answered from sessions, and this index holds none)");
        EvidenceCheck evidence(StatTrust::identity);
        Answer a;
        Timeline6 timeline6(*db);
        Nat6Tracer nat6(timeline6, history, true, &evidence);
        if (!q.client && is_ipv6_text(q.address))
            answer_ipv6_nat(nat6, q, a);
        else if (!q.client)
            a = o.inbound ? InboundTracer(history, &evidence).lookup(q) : Tracer(history, true, &evidence).lookup(q);
        answer_client_if_held(sessions, history, q, a);
        note_ipv6_nat_unindexed(nat6, q, a);
        if (!o.inbound)
            attribute_users(sessions, q, a);
        warn_if_late(*db, q, now_seconds(), stale_after, a);
        std::cout << (c.format == "json" ? render_json(q, a) : render_text(q, a));
        audit(target, audit_lookup(c.argv, q, a));
        return cli::exit_status(a.status);
    });
}

ExitStatus run_internal(const Common& c, const ForwardOptions& o)
{
    const AuditTarget target = parse_audit_target(c.audit_to);
    return audited(target, c, [&] {
        TimeParser times(c.tz);
        ForwardQuery fq;
        if (auto address = canonical_address(o.address); address && is_ipv6_text(*address))
            fq.address6 = parse_ipv6(*address);
        else
            fq.address = parse_ip_arg(o.address);
        fq.node = c.node;
        if (!o.from.empty())
            fq.from = times.parse(o.from).instants.front();
        if (!o.until.empty())
            fq.until = times.parse(o.until).instants.back();
        if (fq.from && fq.until && *fq.from > *fq.until)
            throw UsageError("--from is after --until");
        auto db = open_index(c);
        SqlHistory history(*db);
        Timeline6 timeline6(*db);
        auto periods = fq.address6 ? forward_lookup6(timeline6, history, fq) : forward_lookup(history, fq);
        std::cout << (c.format == "json" ? render_periods_json(fq, periods) : render_periods_text(fq, periods));
        audit(target, audit_forward(c.argv, fq, periods.size()));
        return periods.empty() ? ExitStatus::none : ExitStatus::ok;
    });
}

/// --list-nodes: the node names, one per line (for shell completion and for desks choosing --node).
ExitStatus run_list_nodes(const Common& c)
{
    auto db = open_index_for_reading(index_path(c));
    SQLite::Statement nodes(*db, sql::k_all_nodes);
    while (nodes.executeStep())
        std::cout << nodes.getColumn(1).getString() << '\n';
    return ExitStatus::ok;
}

ExitStatus run_user(const Common& c, const ForwardOptions& o)
{
    const AuditTarget target = parse_audit_target(c.audit_to);
    return audited(target, c, [&] {
        TimeParser times(c.tz);
        UserQuery uq;
        uq.user = o.user;
        uq.node = c.node;
        if (!o.from.empty())
            uq.from = times.parse(o.from).instants.front() * 1'000'000;
        if (!o.until.empty())
            uq.until = times.parse(o.until).instants.back() * 1'000'000;
        if (uq.from && uq.until && *uq.from > *uq.until)
            throw UsageError("--from is after --until");
        auto db = open_index(c);
        SessionHistory sessions(*db);
        if (!sessions.indexed())
            throw IndexUnavailable("the index holds no sessions; run natfw-index with --connection-log, "
                                   "--session-spool or --portal-db first");
        SqlHistory history(*db);
        Timeline6 timeline6(*db);
        auto list = user_sessions(sessions, history, &timeline6, uq);
        std::cout << (c.format == "json" ? render_user_json(uq, list, sessions.forgotten_before())
                                         : render_user_text(uq, list, sessions.forgotten_before()));
        audit(target, audit_user(c.argv, uq, list.size()));
        return list.empty() ? ExitStatus::none : ExitStatus::ok;
    });
}

char parse_delimiter(const std::string& text)
{
    if (text == "tab" || text == "\\t" || text == "\t")
        return '\t';
    if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r")
        throw UsageError(fmt::format("--delimiter takes one character (or tab), not \"{}\"", text));
    return text[0];
}

/// Closes what it opened, never stdin or stdout.
struct File {
    std::FILE* f = nullptr;
    bool owned = false;
    File() = default;
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    ~File()
    {
        if (owned && f)
            std::fclose(f);
    }
    /// Called once, on a File that holds nothing yet.
    void take(std::FILE* file, bool own)
    {
        f = file;
        owned = own;
    }
};

/// Whether `path` names the file `f` reads (also through a link or another name).
bool same_file(std::FILE* f, const std::string& path)
{
    struct stat a {}, b {};
    return ::fstat(fileno(f), &a) == 0 && ::stat(path.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/// The input and output of --batch and --xarf, and what every row is answered with.
struct BatchRun {
    File in, out;
    std::unique_ptr<SQLite::Database> db;
    std::optional<PackedHistory> history;
    EvidenceCheck evidence{StatTrust::size_and_time};
};

void open_batch(const Common& c, BatchModeOptions& o, const std::string& input, BatchRun& run)
{
    o.batch.node = c.node;
    const Query w = window_of(c);
    o.batch.window_before = w.window_before;
    o.batch.window_after = w.window_after;
    run.in.take(input == "-" ? stdin : std::fopen(input.c_str(), "rb"), input != "-");
    if (!run.in.f)
        throw UsageError(fmt::format("cannot read {}: {}", input, std::strerror(errno)));
    run.db = open_index(c);
    if (!o.output.empty() && same_file(run.in.f, o.output))
        throw UsageError(fmt::format("-o {} is the input: writing the answers would destroy the complaints first",
                                     o.output));
    run.out.take(o.output.empty() ? stdout : std::fopen(o.output.c_str(), "wb"), !o.output.empty());
    if (!run.out.f)
        throw FileError(fmt::format("cannot write {}: {}", o.output, std::strerror(errno)));
    run.history.emplace(*run.db);
    o.batch.evidence = &run.evidence;
    if (SessionHistory(*run.db).indexed()) {
        run.db->exec(sql::k_map_for_batch);
        run.db->exec(sql::k_begin_reading);
        o.batch.sessions = run.db.get();
    }
    if (Timeline6(*run.db).any())
        o.batch.ipv6_index = run.db->getFilename();
}

void finish_batch(const Common& c, const BatchModeOptions& o, const std::string& input, const BatchRun& run,
                  const BatchSummary& s, std::string_view what, const AuditTarget& target)
{
    if (std::fflush(run.out.f) != 0)
        throw FileError(fmt::format("cannot write the output: {}", std::strerror(errno)));
    fmt::print(stderr, "natfw-trace: {} {}: {} unique, {} none, {} ambiguous, {} error\n", s.rows, what, s.unique,
               s.none, s.ambiguous, s.error);
    audit(target, audit_batch(c.argv, input == "-" ? input : std::filesystem::absolute(input).string(),
                              o.output.empty() ? "-" : std::filesystem::absolute(o.output).string(), s));
}

ExitStatus run_batch_mode(const Common& c, BatchModeOptions o)
{
    const AuditTarget target = parse_audit_target(c.audit_to);
    if (!o.delimiter.empty())
        o.batch.delimiter = parse_delimiter(o.delimiter);
    BatchRun run;
    open_batch(c, o, o.input, run);
    o.batch.progress = isatty(STDERR_FILENO) != 0;
    if (o.batch.threads == 0)
        o.batch.threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
    BatchSummary s = run_batch(run.in.f, run.out.f, *run.history, TimeParser(c.tz), o.batch, stderr);
    finish_batch(c, o, o.input, run, s, "rows", target);
    return ExitStatus::ok;
}

ExitStatus run_xarf_mode(const Common& c, BatchModeOptions o)
{
    const AuditTarget target = parse_audit_target(c.audit_to);
    BatchRun run;
    open_batch(c, o, o.xarf, run);
    XarfSummary s = run_xarf(run.in.f, run.out.f, *run.history, TimeParser(c.tz), o.batch,
                             c.format == "csv" ? XarfOutput::csv : XarfOutput::json_lines);
    if (s.skipped_lines)
        fmt::print(stderr, "natfw-trace: warning: {} line(s) after syntax errors were skipped (see the error "
                           "answers)\n",
                   s.skipped_lines);
    finish_batch(c, o, o.xarf, run, s.counts, "reports", target);
    return ExitStatus::ok;
}

/// --xarf with the options that go with it, refusing those that do not.
ExitStatus run_xarf_checked(const Common& c, const LookupOptions& lookup, BatchModeOptions o, bool format_given)
{
    if (!o.input.empty())
        throw UsageError("--xarf and --batch each name the whole input; give one");
    if (!lookup.args.empty())
        throw UsageError("--xarf takes no TIME PUBLIC_IP PORT");
    if (lookup.inbound)
        throw UsageError("--inbound is for single lookups");
    if (!lookup.proto.empty())
        throw UsageError("--proto is for single lookups; an XARF report gives its own protocol");
    if (format_given && c.format == "text")
        throw UsageError("--xarf answers in JSON lines (--format json, the default) or CSV (--format csv)");
    const auto& cols = o.batch.columns;
    if (!cols.time.empty() || !cols.ip.empty() || !cols.port.empty() || !cols.proto.empty() || !o.delimiter.empty() ||
        o.batch.escape_input_formulas || o.batch.threads != 0)
        throw UsageError("--time-col, --ip-col, --port-col, --proto-col, --delimiter, --escape-formulas and "
                         "--threads are for --batch; --xarf reads the report's own fields");
    return run_xarf_mode(c, std::move(o));
}

} // namespace

int main(int argc, char** argv)
{
    CLI::App app{"Name the internal address behind a NATed connection.\n"
                 "  natfw-trace [OPTIONS] TIME PUBLIC_IP PORT\n"
                 "  natfw-trace [OPTIONS] TIME CLIENT_ADDRESS [PORT]\n"
                 "  natfw-trace [OPTIONS] --batch FILE|-\n"
                 "  natfw-trace [OPTIONS] --xarf FILE|- [--format json|csv]\n"
                 "  natfw-trace [OPTIONS] --internal ADDRESS | --user USER_ID [--from TIME] [--until TIME]",
                 "natfw-trace"};
    app.footer("Times: 2020-12-26 13:37:42 (in --tz), ISO 8601 with Z or an offset, RFC 2822, a trailing IANA\n"
               "zone, UNIX seconds (@1608986262). Quote a time with spaces.\n"
               "Exit status, single lookup: 0 unique, 1 none, 2 usage error, 3 ambiguous, 4 index missing,\n"
               "unreadable or holding no snapshot. Batch and --xarf: 0 processed (bad rows are marked in the output),\n"
               "2 unreadable input or no usable columns, 4 as for a single lookup.");
    Common common;
    LookupOptions lookup;
    ForwardOptions internal;
    BatchModeOptions batch;
    cli::add_common_options(app, common.db_path, "natfw-trace");
    app.add_option("--proto", lookup.proto, "tcp or udp (default: both)");
    app.add_option("--tz", common.tz, "zone for times written without one (default: $TZ, else the system's)");
    app.add_option("--node", common.node, "only this node");
    bool list_nodes = false;
    app.add_flag("--list-nodes", list_nodes, "print the indexed nodes' names, one per line, and exit");
    app.add_option("--skew", common.skew,
                   "the complaint's clock may be off by this much (seconds, or 90s, 15m, 2h, 5d): every ruleset in "
                   "force within it counts");
    app.add_option("--flow-age", common.flow_age,
                   "the flow may have started this long before the time, keeping its NAT binding (TCP: up to 5d)");
    app.add_flag("--inbound", lookup.inbound,
                 "TIME PUBLIC_IP PORT name a connection's destination: which internal host and port DNAT "
                 "forwarded it to");
    auto* internal_opt = app.add_option("--internal", internal.address,
                                        "forward lookup: the periods in which this internal address had a public "
                                        "address and port block");
    auto* user_opt = app.add_option("--user", internal.user,
                                    "the user's sessions (from the indexed connection logs), each with the public "
                                    "address and port blocks its address had")
                         ->excludes(internal_opt);
    app.add_option("--from", internal.from, "with --internal or --user: from this time on");
    app.add_option("--until", internal.until, "with --internal or --user: up to this time");
    auto* format_opt = app.add_option("--format", common.format,
                                      "text or json (errors too: one JSON object on standard output); --xarf: json "
                                      "(JSON lines, the default) or csv")
                           ->check(CLI::IsMember({"text", "json", "csv"}));
    app.add_option("--stale-after", common.stale_after,
                   "single lookups: warn when the time is this long after a node's newest snapshot (default 90d; "
                   "0: never); a time in the future always gets a warning");
    app.add_option("--batch", batch.input, "answer every row of a complaint CSV (- for standard input)");
    app.add_option("--xarf", batch.xarf,
                   "answer XARF v4 abuse reports (one, a JSON array or JSON lines; - for standard input), one JSON "
                   "line per report, or CSV with --format csv");
    app.add_option("-o,--output", batch.output,
                   "batch and --xarf: write the answers here (default: standard output)");
    app.add_option("--time-col", batch.batch.columns.time, "batch: the time column's name");
    app.add_option("--ip-col", batch.batch.columns.ip, "batch: the public address column's name");
    app.add_option("--port-col", batch.batch.columns.port, "batch: the source port column's name");
    app.add_option("--proto-col", batch.batch.columns.proto, "batch: the protocol column's name");
    app.add_option("--delimiter", batch.delimiter, "batch: the input's delimiter, e.g. ';' or tab (default: guessed)");
    app.add_flag("--escape-formulas", batch.batch.escape_input_formulas,
                 "batch: prefix input cells starting with = + - @ with ' so spreadsheets do not run them");
    batch.batch.threads = 0;
    app.add_option("--threads", batch.batch.threads, "batch: worker threads (default: one per core, at most 4)");
    app.add_option("--audit", common.audit_to,
                   "record lookups: syslog, off, or an append-only FILE (default: $NATFW_TRACE_AUDIT, else syslog)");
    app.add_option("TIME PUBLIC_IP PORT", lookup.args,
                   "the complaint's time, public address and source port; or TIME and a VPN client's own address "
                   "(IPv6, a public pool without NAT), the port optional");
    bool json = cli::asks_for_json(argc, argv);
    if (int rc = cli::parse(app, argc, argv, json); rc >= 0)
        return rc;
    if (!batch.xarf.empty() && format_opt->count() == 0)
        json = true; // --xarf answers in JSON lines: its errors are JSON too
    common.argv.assign(argv + 1, argv + argc);

    return cli::run("natfw-trace", ExitStatus::index_unavailable, [&] {
        if (list_nodes)
            return run_list_nodes(common);
        if (common.format == "csv" && batch.xarf.empty())
            throw UsageError("--format csv is for --xarf; a --batch answers in CSV already");
        const bool forward = user_opt->count() > 0 || internal_opt->count() > 0;
        if (!forward && (!internal.from.empty() || !internal.until.empty()))
            throw UsageError("--from and --until go with --internal or --user");
        if (forward && (!lookup.args.empty() || !batch.input.empty() || !batch.xarf.empty()))
            throw UsageError(fmt::format("{} takes no TIME PUBLIC_IP PORT, no --batch and no --xarf",
                                         user_opt->count() ? "--user" : "--internal"));
        if (user_opt->count()) {
            if (internal.user.empty())
                throw UsageError("--user needs a user id");
            return run_user(common, internal);
        }
        if (internal_opt->count())
            return run_internal(common, internal);
        if (!batch.xarf.empty())
            return run_xarf_checked(common, lookup, std::move(batch), format_opt->count() > 0);
        if (batch.input.empty())
            return run_lookup(common, lookup);
        if (!lookup.args.empty())
            throw UsageError("--batch takes no TIME PUBLIC_IP PORT");
        if (lookup.inbound)
            throw UsageError("--inbound is for single lookups");
        if (!lookup.proto.empty())
            throw UsageError("--proto is for single lookups; a batch reads the protocol from its --proto-col");
        if (format_opt->count())
            throw UsageError("--format is for single lookups, --internal and --user; a batch answers in CSV, its "
                             "input's columns followed by natfw_status and the other answer columns");
        return run_batch_mode(common, std::move(batch));
    }, json);
}
