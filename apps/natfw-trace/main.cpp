// natfw-trace: which internal address was behind a public address and port
// at a time (see README, "natfw-trace").
#include "../cli_common.hpp"
#include "query_input.hpp"
#include "render.hpp"
#include "sql_history.hpp"
#include "tracer.hpp"
#include "util/time_parse.hpp"

#include <iostream>

int main(int argc, char** argv)
{
    using namespace natfw;
    CLI::App app{"Name the internal address behind a NATed connection: natfw-trace TIME PUBLIC_IP PORT",
                 "natfw-trace"};
    app.footer("Times: 2020-12-26 13:37:42 (in --tz), ISO 8601 with Z or an offset, RFC 2822, a trailing IANA\n"
               "zone, UNIX seconds (@1608986262). Quote a time with spaces.\n"
               "Exit status: 0 unique, 1 none, 2 usage error, 3 ambiguous, 4 index missing or unreadable.");
    std::string db_path, proto, tz, node, format = "text";
    std::vector<std::string> args;
    cli::add_common_options(app, db_path, "natfw-trace");
    app.add_option("--proto", proto, "tcp or udp (default: both)");
    app.add_option("--tz", tz, "zone for times written without one (default: $TZ, else the system's)");
    app.add_option("--node", node, "only this node");
    app.add_option("--format", format, "text or json")->check(CLI::IsMember({"text", "json"}));
    app.add_option("TIME PUBLIC_IP PORT", args, "the complaint's time, public address and source port");
    if (int rc = cli::parse(app, argc, argv); rc >= 0)
        return rc;

    return cli::run("natfw-trace", 4, [&] {
        Query q = make_query(args, proto, node, TimeParser(tz));
        auto db = open_index_for_reading(db_path.empty() ? default_db_path() : std::filesystem::path(db_path));
        SqlHistory history(*db);
        Tracer tracer(history);
        Answer a = tracer.lookup(q);
        std::cout << (format == "json" ? render_json(q, a) : render_text(q, a));
        return exit_code(a.status);
    });
}
