// natfw-trace: which internal address was behind a public address and port
// at a time (see README, "natfw-trace").
#include "../cli_common.hpp"
#include "present/audit_log.hpp"
#include "batch/batch.hpp"
#include "query/inbound.hpp"
#include "query/packed_history.hpp"
#include "query/query_input.hpp"
#include "present/render.hpp"
#include "query/sql_history.hpp"
#include "query/tracer.hpp"
#include "util/time_parse.hpp"

#include <cerrno>
#include <cstring>
#include <algorithm>
#include <iostream>
#include <thread>
#include <unistd.h>

namespace {

char parse_delimiter(const std::string& text)
{
    if (text == "tab" || text == "\\t" || text == "\t")
        return '\t';
    if (text.size() != 1 || text == "\"" || text == "\n" || text == "\r")
        throw natfw::UsageError(fmt::format("--delimiter takes one character (or tab), not \"{}\"", text));
    return text[0];
}

void audit(const natfw::AuditTarget& target, const natfw::AuditRecord& record)
{
    if (auto problem = natfw::write_audit(target, record))
        fmt::print(stderr, "natfw-trace: warning: audit trail: {}; this {} is not recorded\n", *problem,
                   record["kind"].get<std::string>());
}

/// Closes what it opened, never stdin or stdout.
struct File {
    std::FILE* f = nullptr;
    bool owned = false;
    ~File()
    {
        if (owned && f)
            std::fclose(f);
    }
};

} // namespace

int main(int argc, char** argv)
{
    using namespace natfw;
    CLI::App app{"Name the internal address behind a NATed connection.\n"
                 "  natfw-trace [OPTIONS] TIME PUBLIC_IP PORT\n"
                 "  natfw-trace [OPTIONS] --batch FILE|-",
                 "natfw-trace"};
    app.footer("Times: 2020-12-26 13:37:42 (in --tz), ISO 8601 with Z or an offset, RFC 2822, a trailing IANA\n"
               "zone, UNIX seconds (@1608986262). Quote a time with spaces.\n"
               "Exit status, single lookup: 0 unique, 1 none, 2 usage error, 3 ambiguous, 4 index missing or\n"
               "unreadable. Batch: 0 processed (bad rows are marked in the output), 2 unreadable input or no\n"
               "usable columns, 4 index missing or unreadable.");
    std::string db_path, proto, tz, node, format = "text", batch, output, delimiter, audit_to, skew_text, flow_age_text,
        internal, from_text, until_text;
    BatchOptions batch_options;
    std::vector<std::string> args;
    cli::add_common_options(app, db_path, "natfw-trace");
    app.add_option("--proto", proto, "tcp or udp (default: both)");
    app.add_option("--tz", tz, "zone for times written without one (default: $TZ, else the system's)");
    app.add_option("--node", node, "only this node");
    app.add_option("--skew", skew_text,
                   "the complaint's clock may be off by this much (seconds, or 90s, 15m, 2h, 5d): every ruleset in "
                   "force within it counts");
    app.add_option("--flow-age", flow_age_text,
                   "the flow may have started this long before the time, keeping its NAT binding (TCP: up to 5d)");
    bool inbound = false;
    app.add_flag("--inbound", inbound,
                 "TIME PUBLIC_IP PORT name a connection's destination: which internal host and port DNAT "
                 "forwarded it to");
    auto* internal_opt = app.add_option("--internal", internal,
                                        "forward lookup: the periods in which this internal address had a public "
                                        "address and port block");
    app.add_option("--from", from_text, "with --internal: periods from this time on")->needs(internal_opt);
    app.add_option("--until", until_text, "with --internal: periods up to this time")->needs(internal_opt);
    app.add_option("--format", format, "single lookups: text or json")->check(CLI::IsMember({"text", "json"}));
    app.add_option("--batch", batch, "answer every row of a complaint CSV (- for standard input)");
    app.add_option("-o,--output", output, "batch: write the answered CSV here (default: standard output)");
    app.add_option("--time-col", batch_options.columns.time, "batch: the time column's name");
    app.add_option("--ip-col", batch_options.columns.ip, "batch: the public address column's name");
    app.add_option("--port-col", batch_options.columns.port, "batch: the source port column's name");
    app.add_option("--proto-col", batch_options.columns.proto, "batch: the protocol column's name");
    app.add_option("--delimiter", delimiter, "batch: the input's delimiter, e.g. ';' or tab (default: guessed)");
    app.add_flag("--escape-formulas", batch_options.escape_input_formulas,
                 "batch: prefix input cells starting with = + - @ with ' so spreadsheets do not run them");
    batch_options.threads = 0;
    app.add_option("--threads", batch_options.threads, "batch: worker threads (default: one per core, at most 4)");
    app.add_option("--audit", audit_to,
                   "record lookups: syslog, off, or an append-only FILE (default: $NATFW_TRACE_AUDIT, else syslog)");
    app.add_option("TIME PUBLIC_IP PORT", args, "the complaint's time, public address and source port");
    if (int rc = cli::parse(app, argc, argv); rc >= 0)
        return rc;

    return cli::run("natfw-trace", 4, [&] {
        TimeParser times(tz);
        const std::vector<std::string> argv_list(argv + 1, argv + argc);
        const AuditTarget audit_target = parse_audit_target(audit_to);
        const UnixSeconds skew = skew_text.empty() ? 0 : parse_duration(skew_text, "--skew");
        const UnixSeconds flow_age = flow_age_text.empty() ? 0 : parse_duration(flow_age_text, "--flow-age");
        if (!internal.empty()) {
            if (!args.empty() || !batch.empty())
                throw UsageError("--internal takes no TIME PUBLIC_IP PORT and no --batch");
            try {
                ForwardQuery fq;
                fq.address = parse_ip_arg(internal);
                fq.node = node;
                if (!from_text.empty())
                    fq.from = times.parse(from_text).instants.front();
                if (!until_text.empty())
                    fq.until = times.parse(until_text).instants.back();
                if (fq.from && fq.until && *fq.from > *fq.until)
                    throw UsageError("--from is after --until");
                auto db = open_index_for_reading(db_path.empty() ? default_db_path() : std::filesystem::path(db_path));
                auto periods = forward_lookup(*db, fq);
                std::cout << (format == "json" ? render_periods_json(fq, periods) : render_periods_text(fq, periods));
                audit(audit_target, audit_forward(argv_list, fq, periods.size()));
                return periods.empty() ? 1 : 0;
            } catch (const std::exception& e) {
                audit(audit_target, audit_failed_lookup(argv_list, e.what()));
                throw;
            }
        }
        if (batch.empty()) {
            try {
                Query q = make_query(args, proto, node, times);
                set_window(q, skew, flow_age);
                if (inbound) {
                    if (q.has_window())
                        throw UsageError("--skew and --flow-age are not supported with --inbound");
                    q.inbound = true;
                    auto db = open_index_for_reading(db_path.empty() ? default_db_path() : std::filesystem::path(db_path));
                    SqlHistory history(*db);
                    EvidenceCheck evidence(EvidenceDepth::rehash);
                    Answer a = InboundTracer(*db, history, &evidence).lookup(q);
                    std::cout << (format == "json" ? render_json(q, a) : render_text(q, a));
                    audit(audit_target, audit_lookup(argv_list, q, a));
                    return exit_code(a.status);
                }
                auto db = open_index_for_reading(db_path.empty() ? default_db_path() : std::filesystem::path(db_path));
                SqlHistory history(*db);
                EvidenceCheck evidence(EvidenceDepth::rehash);
                Tracer tracer(history, true, &evidence);
                Answer a = tracer.lookup(q);
                std::cout << (format == "json" ? render_json(q, a) : render_text(q, a));
                audit(audit_target, audit_lookup(argv_list, q, a));
                return exit_code(a.status);
            } catch (const std::exception& e) {
                audit(audit_target, audit_failed_lookup(argv_list, e.what()));
                throw;
            }
        }
        if (!args.empty())
            throw UsageError("--batch takes no TIME PUBLIC_IP PORT");
        if (inbound)
            throw UsageError("--inbound is for single lookups");
        if (!proto.empty())
            throw UsageError("--proto is for single lookups; a batch reads the protocol from its --proto-col");
        if (!delimiter.empty())
            batch_options.delimiter = parse_delimiter(delimiter);
        batch_options.node = node;
        Query window;
        set_window(window, skew, flow_age);
        batch_options.window_before = window.window_before;
        batch_options.window_after = window.window_after;
        File in{batch == "-" ? stdin : std::fopen(batch.c_str(), "rb"), batch != "-"};
        if (!in.f)
            throw UsageError(fmt::format("cannot read {}: {}", batch, std::strerror(errno)));
        auto db = open_index_for_reading(db_path.empty() ? default_db_path() : std::filesystem::path(db_path));
        File out{output.empty() ? stdout : std::fopen(output.c_str(), "wb"), !output.empty()};
        if (!out.f)
            throw FileError(fmt::format("cannot write {}: {}", output, std::strerror(errno)));
        PackedHistory history(*db);
        EvidenceCheck evidence(EvidenceDepth::stat);
        batch_options.evidence = &evidence;
        batch_options.progress = isatty(STDERR_FILENO) != 0;
        if (batch_options.threads == 0)
            batch_options.threads = std::clamp(std::thread::hardware_concurrency(), 1u, 4u);
        BatchSummary s = run_batch(in.f, out.f, history, times, batch_options, stderr);
        if (std::fflush(out.f) != 0)
            throw FileError(fmt::format("cannot write the output: {}", std::strerror(errno)));
        fmt::print(stderr, "natfw-trace: {} rows: {} unique, {} none, {} ambiguous, {} error\n", s.rows, s.unique,
                   s.none, s.ambiguous, s.error);
        audit(audit_target, audit_batch(argv_list, batch == "-" ? batch : std::filesystem::absolute(batch).string(),
                                        output.empty() ? "-" : std::filesystem::absolute(output).string(), s));
        return 0;
    });
}
