#include "present/render_periods.hpp"
#include "present/printable_json.hpp"

#include "util/time_format.hpp"

#include <fmt/format.h>

namespace natfw {

using json = nlohmann::ordered_json;

json period_json(const AddressPeriod& p)
{
    return {{"node", p.node},
            {"public_ip", p.public_addresses ? json(*p.public_addresses) : json(nullptr)},
            {"proto", p.proto},
            {"port_range", p.ports ? json({p.ports->lo, p.ports->hi}) : json(nullptr)},
            {"valid_from", format_iso_utc(p.valid_from)},
            {"valid_to", p.valid_to ? json(format_iso_utc(*p.valid_to)) : json(nullptr)},
            {"snapshot", p.first.path},
            {"sha256", p.first.sha256},
            {"line", p.first_line},
            {"rule", p.first_rule},
            {"source", p.source},
            {"shared", p.shared},
            {"snapshots", p.snapshots},
            {"last_snapshot", p.last.path}};
}

void append_period_text(std::string& out, const AddressPeriod& p, std::string_view indent)
{
    auto it = std::back_inserter(out);
    fmt::format_to(it, "{}{} {} {}  {} .. {}{}\n", indent,
                   p.public_addresses ? *p.public_addresses : std::string("(MASQUERADE)"), p.proto,
                   p.ports ? fmt::format("{}-{}", p.ports->lo, p.ports->hi) : std::string("(any port)"),
                   format_iso_utc(p.valid_from), p.valid_to ? format_iso_utc(*p.valid_to) : std::string("(still in force)"),
                   p.shared ? fmt::format("  shared by {}", p.source) : std::string());
    fmt::format_to(it, "{}  evidence: {}:{} (sha256 {}){}\n", indent, p.first.path, p.first_line, p.first.sha256,
                   p.snapshots > 1 ? fmt::format(", and {} later snapshot(s) through {}", p.snapshots - 1, p.last.path)
                                   : std::string());
    fmt::format_to(it, "{}  rule: {}\n", indent, p.first_rule);
}

std::string render_periods_text(const ForwardQuery& q, const std::vector<AddressPeriod>& periods)
{
    std::string out;
    auto it = std::back_inserter(out);
    fmt::format_to(it, "internal: {} ({} .. {})\n", q.address_text(),
                   q.from ? format_iso_utc(*q.from) : std::string("start of history"),
                   q.until ? format_iso_utc(*q.until) : std::string("now"));
    if (periods.empty()) {
        fmt::format_to(it, "none: no snapshot {}gives {} a public address and port block\n",
                       q.node.empty() ? "" : fmt::format("of node {} ", q.node), q.address_text());
        return out;
    }
    std::string node;
    for (const auto& p : periods) {
        if (p.node != node) {
            node = p.node;
            fmt::format_to(it, "\nnode {}\n", node);
        }
        append_period_text(out, p, "  ");
    }
    return out;
}

std::string render_periods_json(const ForwardQuery& q, const std::vector<AddressPeriod>& periods)
{
    json list = json::array();
    for (const auto& p : periods)
        list.push_back(period_json(p));
    json out = {{"internal", q.address_text()},
                {"from", q.from ? json(format_iso_utc(*q.from)) : json(nullptr)},
                {"until", q.until ? json(format_iso_utc(*q.until)) : json(nullptr)},
                {"periods", list}};
    return printable_json(out) + "\n";
}

} // namespace natfw
