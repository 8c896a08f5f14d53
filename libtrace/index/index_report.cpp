#include "index/index_report.hpp"

#include "store/indexed_file.hpp"
#include "store/statements.hpp"
#include "util/ipv4.hpp"
#include "util/time_format.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <fmt/ostream.h>

#include <filesystem>
#include <optional>
#include <ostream>
#include <vector>

namespace natfw {

namespace {

struct ListedSnapshot {
    std::int64_t id;
    UnixSeconds valid_from;
    std::string path;
    std::string sha256;
    std::int64_t size;
    bool usable;
    int unusable_line;
    std::string unusable_reason;
    std::int64_t rules;
};

std::vector<ListedSnapshot> node_snapshots(SQLite::Statement& st, std::int64_t node)
{
    std::vector<ListedSnapshot> out;
    st.reset();
    st.bind(1, node);
    while (st.executeStep()) {
        out.push_back({st.getColumn(0).getInt64(), st.getColumn(1).getInt64(), st.getColumn(2).getString(),
                       st.getColumn(3).getString(), st.getColumn(4).getInt64(), !st.getColumn(5).isNull(),
                       st.getColumn(6).isNull() ? 0 : st.getColumn(6).getInt(), st.getColumn(7).getString(),
                       st.getColumn(8).getInt64()});
    }
    return out;
}

} // namespace

void list_index(SQLite::Database& db, std::ostream& out)
{
    SQLite::Statement nodes(db, sql::k_all_nodes), addresses(db, sql::k_node_addresses);
    SQLite::Statement snaps(db, sql::k_list_snapshots);
    SQLite::Statement diags(db, sql::k_snapshot_diagnostics);
    bool any = false;
    while (nodes.executeStep()) {
        any = true;
        fmt::print(out, "node {}\n", nodes.getColumn(1).getString());
        addresses.reset();
        addresses.bind(1, nodes.getColumn(0).getInt64());
        while (addresses.executeStep())
            fmt::print(out, "  own address (MASQUERADE) {} from {}\n",
                       format_ipv4(static_cast<Ipv4>(addresses.getColumn(1).getInt64())),
                       format_iso_utc(addresses.getColumn(0).getInt64()));
        auto list = node_snapshots(snaps, nodes.getColumn(0).getInt64());
        for (std::size_t i = 0; i < list.size(); ++i) {
            const auto& s = list[i];
            // A usable snapshot is in force until the next usable one.
            std::optional<UnixSeconds> until;
            for (std::size_t j = i + 1; j < list.size() && !until; ++j)
                if (list[j].usable)
                    until = list[j].valid_from;
            fmt::print(out, "  {}\n", s.path);
            if (s.usable)
                fmt::print(out, "    in force {} .. {}, {} rules, sha256 {}, usable\n", format_iso_utc(s.valid_from),
                           until ? format_iso_utc(*until) : std::string("(still in force)"), s.rules, s.sha256);
            else
                fmt::print(out, "    dated {}, sha256 {}, unusable: line {}: {}\n", format_iso_utc(s.valid_from),
                           s.sha256, s.unusable_line, s.unusable_reason);
            diags.reset();
            diags.bind(1, s.id);
            while (diags.executeStep()) {
                int line = diags.getColumn(0).getInt();
                std::string message = diags.getColumn(1).getString();
                // As natfw-index printed them: "warning: line N: ..." but "line N: check: ...".
                bool check = diags.getColumn(2).getString() == "check";
                std::string where = line > 0 ? fmt::format("line {}: ", line) : "";
                if (check)
                    fmt::print(out, "    {}check: {}\n", where, message);
                else
                    fmt::print(out, "    warning: {}{}\n", where, message);
            }
        }
    }
    if (!any)
        fmt::print(out, "the index holds no snapshots\n");
}

VerifySummary verify_index(SQLite::Database& db, std::ostream& out, std::ostream& diag)
{
    VerifySummary sum;
    SQLite::Statement nodes(db, sql::k_all_nodes);
    SQLite::Statement snaps(db, sql::k_list_snapshots);
    while (nodes.executeStep()) {
        for (const auto& s : node_snapshots(snaps, nodes.getColumn(0).getInt64())) {
            ++sum.checked;
            auto check = check_indexed_file(s.path, s.sha256, {}, false);
            switch (check.state) {
            case FileState::unchanged:
            case FileState::touched:
                break;
            case FileState::missing:
                ++sum.missing;
                fmt::print(diag, "notice: {} is missing; the index keeps its record\n", s.path);
                break;
            case FileState::no_stat:
                ++sum.missing;
                fmt::print(diag, "notice: {}: cannot stat: {}\n", s.path, check.error);
                break;
            case FileState::unreadable:
                ++sum.missing;
                fmt::print(diag, "notice: {}\n", check.error);
                break;
            case FileState::changed:
                ++sum.changed;
                fmt::print(diag, "error: {}: integrity: content changed since it was indexed (sha256 was {})\n",
                           s.path, s.sha256);
                break;
            }
        }
    }
    fmt::print(out, "verified {} snapshots: {} unchanged, {} changed, {} missing\n", sum.checked,
               sum.checked - sum.changed - sum.missing, sum.changed, sum.missing);
    return sum;
}

} // namespace natfw
