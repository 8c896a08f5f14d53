#include "present/render.hpp"
#include "present/render_sessions.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace natfw {

namespace {

std::string instants_text(const Query& q)
{
    std::vector<std::string> parts;
    for (auto t : q.instants)
        parts.push_back(format_iso_utc(t));
    return fmt::format("{}", fmt::join(parts, " and "));
}

} // namespace

std::string render_text(const Query& q, const Answer& a)
{
    std::string out;
    auto it = std::back_inserter(out);
    if (q.client)
        fmt::format_to(it, "query:    {} at {} (\"{}\" read as {}), answered as a VPN client's own address from "
                           "the sessions: port and protocol do not matter\n",
                       q.address, instants_text(q), q.input, q.zone);
    else
        fmt::format_to(it, "query:    {}{} port {} {} at {} (\"{}\" read as {})\n", q.inbound ? "inbound to " : "",
                       query_address(q), q.port, q.proto.empty() ? "tcp/udp" : q.proto, instants_text(q), q.input,
                       q.zone);
    if (q.has_window())
        fmt::format_to(it, "window:   {} .. {} (every ruleset in force in it counts)\n",
                       format_iso_utc(q.instants.front() - q.window_before),
                       format_iso_utc(q.instants.back() + q.window_after));
    if (a.status == Status::unique)
        fmt::format_to(it, "unique:   {}\n", *a.internal());
    else
        fmt::format_to(it, "{}: {}\n", status_name(a.status), a.reason);
    append_user_text(out, a);
    for (const auto& c : a.candidates) {
        if (!c.snapshot) {
            fmt::format_to(it, "\ncandidate {} (the client's own address, not NATed)\n", c.internal);
            for (const auto& sess : c.sessions)
                append_session_text(out, sess, "  ");
            continue;
        }
        fmt::format_to(it, "\ncandidate {}{} ({} {}-{})\n", c.internal, c.excluded.empty() ? "" : " except " + c.excluded,
                       c.proto, c.ports.lo, c.ports.hi);
        fmt::format_to(it, "  node:     {}\n", c.snapshot->node);
        fmt::format_to(it, "  snapshot: {}\n", c.snapshot->path);
        fmt::format_to(it, "  sha256:   {}\n", c.snapshot->sha256);
        fmt::format_to(it, "  in force: {} .. {}\n", format_iso_utc(c.snapshot->valid_from),
                       c.valid_to ? format_iso_utc(*c.valid_to) : std::string("(still in force)"));
        if (q.instants.size() > 1)
            fmt::format_to(it, "  instant:  {}\n", format_iso_utc(c.instant));
        fmt::format_to(it, "  line {}: {}\n", c.line, c.rule);
        for (const auto& cond : c.conditions)
            fmt::format_to(it, "  may match: only if {} (not known from the complaint)\n", cond);
        for (const auto& s : c.sessions)
            append_session_text(out, s, "  ");
    }
    if (!a.warnings.empty())
        out += "\n";
    for (const auto& w : a.warnings)
        fmt::format_to(it, "warning: {}\n", w);
    return out;
}

} // namespace natfw
