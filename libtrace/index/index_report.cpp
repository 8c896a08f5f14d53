#include "index/index_report.hpp"

#include "derive/ruleset_pack.hpp"
#include "store/event_block.hpp"
#include "store/event_blocks.hpp"
#include "store/index_store.hpp"
#include "store/indexed_file.hpp"
#include "store/timeline6_store.hpp"
#include "store/rule_blocks.hpp"
#include "store/database.hpp"
#include "store/sql_values.hpp"
#include "store/session_blocks.hpp"
#include "store/statements.hpp"
#include "util/errors.hpp"
#include "util/ipv4.hpp"
#include "util/time_format.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
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
    int doubt_line;
    std::string doubt_reason; ///< empty: none
    FileStat file;
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
                       st.getColumn(8).getInt64(), st.getColumn(9).isNull() ? 0 : st.getColumn(9).getInt(),
                       st.getColumn(10).getString(), file_stat_columns(st, 4, 11, 12)});
    }
    return out;
}

std::string iso_of_micros(std::int64_t us)
{
    return format_iso_utc(seconds_of_micros(us));
}

/// The session sources, what they cover, the sessions built from them, and what was forgotten.
void list_sessions(SQLite::Database& db, std::ostream& out)
{
    SQLite::Statement retention(db, sql::k_retention);
    retention.executeStep();
    const auto forgotten = optional_int64(retention, 0);
    const auto keep = optional_int64(retention, 1);
    SQLite::Statement sources(db, sql::k_list_session_sources);
    bool any = false;
    while (sources.executeStep()) {
        if (!any)
            fmt::print(out, "session sources\n");
        any = true;
        fmt::print(out, "  {} {}\n", sources.getColumn(0).getString(), sources.getColumn(1).getString());
        auto from = optional_int64(sources, 2), to = optional_int64(sources, 3);
        auto events = sources.getColumn(5).getInt64();
        // As lookups see it: what was forgotten is covered no more.
        if (!from || !to)
            fmt::print(out, "    no events read yet\n");
        else if (forgotten && *to < *forgotten)
            fmt::print(out, "    covered {} .. {}, all of it forgotten since\n", iso_of_micros(*from),
                       iso_of_micros(*to));
        else if (forgotten && *from < *forgotten)
            fmt::print(out, "    covers {} .. {}, {} event(s) kept (it began at {}; what ended before {} was "
                            "forgotten)\n",
                       iso_of_micros(*forgotten), iso_of_micros(*to), events, iso_of_micros(*from),
                       iso_of_micros(*forgotten));
        else
            fmt::print(out, "    covers {} .. {}, {} event(s) kept\n", iso_of_micros(*from), iso_of_micros(*to),
                       events);
        if (auto note = sources.getColumn(4).getString(); !note.empty())
            fmt::print(out, "    {}\n", note);
    }
    if (!any)
        return;
    SQLite::Statement counts(db, sql::k_session_counts);
    counts.executeStep();
    fmt::print(out, "sessions: {} ({} still open, {} ended by inference, {} begun before their sources)\n",
               counts.getColumn(0).getInt64(), counts.getColumn(1).getInt64(), counts.getColumn(2).getInt64(),
               counts.getColumn(3).getInt64());
    fmt::print(out, "retention: {}{}\n",
               keep ? fmt::format("sessions are kept {} day(s) after they end (natfw-index --keep-sessions)",
                                  *keep / 86'400)
                    : std::string("sessions are kept until an admin forgets them"),
               forgotten ? fmt::format("; those that ended before {} were forgotten", iso_of_micros(*forgotten))
                         : std::string());
}

/// `diags`: the statement listing a snapshot's stored diagnostics, of the
/// timeline `ipv6` says (whose paths are marked as such).
void print_snapshots(const std::vector<ListedSnapshot>& list, SQLite::Statement& diags, std::ostream& out, bool ipv6);

} // namespace

void list_index(SQLite::Database& db, std::ostream& out)
{
    SQLite::Statement nodes(db, sql::k_all_nodes), addresses(db, sql::k_node_addresses);
    SQLite::Statement snaps(db, sql::k_list_snapshots), snaps6(db, sql::k_list_snapshots6);
    SQLite::Statement addresses6(db, sql::k_node_addresses6);
    SQLite::Statement diags(db, sql::k_snapshot_diagnostics), diags6(db, sql::k_snapshot6_diagnostics);
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
        print_snapshots(node_snapshots(snaps, nodes.getColumn(0).getInt64()), diags, out, false);
        // The IPv6 timeline's periods run from one of its own snapshots to the next.
        std::vector<ListedSnapshot> six;
        for (auto& s : node_snapshots(snaps6, nodes.getColumn(0).getInt64()))
            if (s.unusable_reason != k_not_in_ipv6_timeline)
                six.push_back(std::move(s));
        addresses6.reset();
        addresses6.bind(1, nodes.getColumn(0).getInt64());
        while (addresses6.executeStep())
            fmt::print(out, "  own IPv6 address (MASQUERADE) {} from {}\n", addresses6.getColumn(1).getString(),
                       format_iso_utc(addresses6.getColumn(0).getInt64()));
        print_snapshots(six, diags6, out, true);
    }
    if (!any)
        fmt::print(out, "the index holds no snapshots\n");
    list_sessions(db, out);
}

namespace {

void print_snapshots(const std::vector<ListedSnapshot>& list, SQLite::Statement& diags, std::ostream& out, bool ipv6)
{
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& s = list[i];
        // A usable snapshot is in force until the next usable one.
        std::optional<UnixSeconds> until;
        for (std::size_t j = i + 1; j < list.size() && !until; ++j)
            if (list[j].usable)
                until = list[j].valid_from;
        fmt::print(out, "  {}{}\n", s.path, ipv6 ? " (IPv6 timeline)" : "");
        if (s.usable)
            fmt::print(out, "    in force {} .. {}, {} rules, sha256 {}, usable\n", format_iso_utc(s.valid_from),
                       until ? format_iso_utc(*until) : std::string("(still in force)"), s.rules, s.sha256);
        else
            fmt::print(out, "    dated {}, sha256 {}, unusable: line {}: {}\n", format_iso_utc(s.valid_from),
                       s.sha256, s.unusable_line, s.unusable_reason);
        if (!s.doubt_reason.empty())
            fmt::print(out, "    may never have been in force: line {}: {}\n", s.doubt_line, s.doubt_reason);
        // What a quick look at the file says; --verify re-hashes.
        auto now = check_indexed_file(s.path, s.sha256, s.file, StatTrust::size_and_time);
        if (now.state == FileState::missing)
            fmt::print(out, "    file: not there any more (the index keeps its evidence)\n");
        else if (now.state != FileState::unchanged)
            fmt::print(out, "    file: {}; run --verify\n",
                       now.state == FileState::changed  ? "changed since it was indexed"
                       : now.state == FileState::touched ? "touched since it was indexed (same content)"
                                                         : now.error);
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

} // namespace

namespace {

constexpr int k_sessions_shown = 20;

void verify_database(SQLite::Database& db, VerifySummary& sum, std::ostream& diag)
{
    SQLite::Statement check(db, sql::k_integrity_check);
    while (check.executeStep()) {
        std::string row = check.getColumn(0).getString();
        if (row == "ok")
            break;
        ++sum.damaged;
        fmt::print(diag, "error: index: SQLite integrity check: {}\n", row);
    }
    SQLite::Statement rulesets(db, sql::k_all_rulesets);
    RuleBlocks rules(db);
    while (rulesets.executeStep()) {
        std::int64_t id = rulesets.getColumn(0).getInt64();
        std::vector<Rule> stored;
        try {
            stored = rules.all(id);
        } catch (const IndexDamaged&) {
            ++sum.damaged;
            fmt::print(diag, "error: index: ruleset {}: a block of its stored rules cannot be read\n", id);
            continue;
        }
        if (static_cast<std::int64_t>(stored.size()) != rulesets.getColumn(2).getInt64() ||
            ruleset_digest(stored) != rulesets.getColumn(1).getString()) {
            ++sum.damaged;
            fmt::print(diag, "error: index: ruleset {}: its stored rules no longer match their digest\n", id);
        }
    }
    SQLite::Statement rulesets6(db, sql::k_all_rulesets6), rules6(db, sql::k_ruleset6_rules);
    while (rulesets6.executeStep()) {
        std::int64_t id = rulesets6.getColumn(0).getInt64();
        std::vector<Rule> stored;
        rules6.reset();
        rules6.bind(1, id);
        while (rules6.executeStep())
            stored.push_back(stored_rule6(rules6));
        if (static_cast<std::int64_t>(stored.size()) != rulesets6.getColumn(2).getInt64() ||
            ruleset_digest(stored) != rulesets6.getColumn(1).getString()) {
            ++sum.damaged;
            fmt::print(diag, "error: index: IPv6 ruleset {}: its stored rules no longer match their digest\n", id);
        }
    }
    SQLite::Statement packs(db, sql::k_all_packs);
    while (packs.executeStep()) {
        auto blob = packs.getColumn(2);
        if (packs.getColumn(1).getInt() == k_pack_format &&
            !decode_pack({static_cast<const char*>(blob.getBlob()), static_cast<std::size_t>(blob.getBytes())})) {
            ++sum.damaged;
            fmt::print(diag, "error: index: ruleset {}: its packed cells fail their checksum\n",
                       packs.getColumn(0).getInt64());
        }
    }
    // Every event block must decode; the link from a session to its events
    // is a JSON array of ids, which no foreign key guards.
    std::unordered_map<std::int64_t, std::vector<bool>> live;
    SQLite::Statement blocks(db, sql::k_event_blocks);
    while (blocks.executeStep()) {
        auto id = blocks.getColumn(0).getInt64();
        try {
            auto places = decode_event_block(blob_view(blocks.getColumn(1)));
            auto fault = event_block_fault(places, {blocks.getColumn(2).getInt64(), blocks.getColumn(3).getInt64(),
                                                    blocks.getColumn(4).getInt64(), blocks.getColumn(5).getInt64()});
            if (!fault.empty()) {
                ++sum.damaged;
                fmt::print(diag, "error: index: connection event block {}: {}\n", id, fault);
            }
            auto& l = live[id];
            for (const auto& p : places)
                l.push_back(!p.forgotten);
        } catch (const Error& e) {
            ++sum.damaged;
            fmt::print(diag, "error: index: connection event block {}: {}\n", id, e.what());
        }
    }
    auto held = [&](const nlohmann::json& v) {
        if (!v.is_number_integer())
            return false;
        auto id = v.get<std::int64_t>();
        auto it = live.find(block_of_event(id));
        return id >= 0 && it != live.end() && place_of_event(id) < it->second.size() && it->second[place_of_event(id)];
    };
    SQLite::Statement sessions(db, sql::k_session_evidence_lists);
    int lost = 0;
    while (sessions.executeStep()) {
        auto evidence = nlohmann::json::parse(sessions.getColumn(3).getString(), nullptr, false);
        if (evidence.is_array() && !evidence.empty() && std::all_of(evidence.begin(), evidence.end(), held))
            continue;
        ++sum.damaged;
        if (++lost <= k_sessions_shown)
            fmt::print(diag, "error: index: session {} (user {}, connection {}): its evidence names events the "
                             "index does not hold\n",
                       sessions.getColumn(0).getInt64(), sessions.getColumn(1).getString(),
                       sessions.getColumn(2).getString());
    }
    if (lost > k_sessions_shown)
        fmt::print(diag, "error: index: {} more session(s) like that\n", lost - k_sessions_shown);
    // Batches read the blocks, single lookups the sessions: both must say the same.
    for (const auto& fault : session_block_faults(db)) {
        ++sum.damaged;
        fmt::print(diag, "error: index: {}\n", fault);
    }
}

} // namespace

VerifySummary verify_index(SQLite::Database& db, std::ostream& out, std::ostream& diag)
{
    VerifySummary sum;
    try {
        verify_database(db, sum, diag);
    } catch (const SQLite::Exception& e) {
        ++sum.damaged;
        fmt::print(diag, "error: index: {}\n", e.what());
    }
    SQLite::Statement nodes(db, sql::k_all_nodes);
    SQLite::Statement snaps(db, sql::k_list_snapshots), snaps6(db, sql::k_list_snapshots6);
    std::set<std::string> checked; // an nft snapshot is in both timelines: hashed once
    while (nodes.executeStep()) {
        auto list = node_snapshots(snaps, nodes.getColumn(0).getInt64());
        auto six = node_snapshots(snaps6, nodes.getColumn(0).getInt64());
        list.insert(list.end(), six.begin(), six.end());
        for (const auto& s : list) {
            if (!checked.insert(s.path).second)
                continue;
            ++sum.checked;
            auto check = check_indexed_file(s.path, s.sha256, {}, StatTrust::none);
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
    fmt::print(out, "verified {} snapshots: {} unchanged, {} changed, {} missing; the index itself: {}\n", sum.checked,
               sum.checked - sum.changed - sum.missing, sum.changed, sum.missing,
               sum.damaged ? fmt::format("{} fault(s), see above", sum.damaged) : std::string("intact"));
    return sum;
}

} // namespace natfw
