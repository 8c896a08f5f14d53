// A batch over an index with sessions: its workers read the sessions through
// the batch's one shared connection, and every row still names the users a
// single lookup names. Many /24s, so that several workers read blocks at once.
#include "batch/batch.hpp"
#include "index/session_ingest.hpp"
#include "index_fixture.hpp"
#include "query/packed_history.hpp"
#include "query/query_input.hpp"
#include "query/sql_history.hpp"
#include "query/user_attribution.hpp"
#include "store/database.hpp"
#include "util/csv.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <sstream>

using namespace natfw;
using test::IndexFixture;
using test::nat_table;

namespace {

constexpr UnixSeconds k_day = 1608940800; // 2020-12-26T00:00:00Z
constexpr int k_nets = 12, k_hosts = 20, k_ports = 256;

std::string address(int net, int host) { return fmt::format("10.0.{}.{}", net, host + 2); }

/// Each address in turn held by users of its own for 50 to 110 minutes, with
/// gaps between; a session of every fifth address per net never ends, and one
/// in seven starts before the log (a DISCONNECT alone).
std::string connection_log(std::mt19937& rng)
{
    std::vector<std::pair<UnixSeconds, std::string>> lines;
    auto line = [&](UnixSeconds t, const std::string& what) {
        lines.emplace_back(t, fmt::format("{} vpn vpn-user-portal[1]: {}", format_iso_utc(t), what));
    };
    line(k_day, "DISCONNECT nobody (p:c-first)");
    for (int n = 0; n < k_nets; ++n)
        for (int h = 0; h < k_hosts; ++h) {
            UnixSeconds t = k_day + 60 + static_cast<UnixSeconds>(rng() % 3600);
            for (int k = 0; t < k_day + 86000; ++k) {
                const auto user = fmt::format("u{}-{}-{}", n, h, k % 5);
                const auto id = fmt::format("c{}-{}-{}", n, h, k);
                const UnixSeconds end = t + 3000 + static_cast<UnixSeconds>(rng() % 3600);
                if (!(k == 0 && h % 7 == 3))
                    line(t, fmt::format("CONNECT {} (p:{}) [198.51.100.1 => {},fd00::1]", user, id, address(n, h)));
                if (end < k_day + 86000 && !(h % 5 == 4 && end > k_day + 80000))
                    line(end, fmt::format("DISCONNECT {} (p:{})", user, id));
                t = end + static_cast<UnixSeconds>(rng() % 1200);
            }
        }
    line(k_day + 86400, "DISCONNECT nobody (p:c-last)");
    std::stable_sort(lines.begin(), lines.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string log;
    for (const auto& [t, text] : lines)
        log += text + "\n";
    return log;
}

std::vector<std::vector<std::string>> read_csv(std::FILE* f)
{
    std::rewind(f);
    CsvReader reader(f, ',');
    std::vector<std::string_view> cells;
    std::vector<std::vector<std::string>> rows;
    while (reader.next(cells))
        rows.emplace_back(cells.begin(), cells.end());
    return rows;
}

} // namespace

TEST_CASE("run_batch with sessions: workers sharing the index's connection name the users single lookups name")
{
    IndexFixture f;
    std::mt19937 rng(20261206);
    std::string rules;
    for (int n = 0; n < k_nets; ++n)
        for (int h = 0; h < k_hosts; ++h) {
            const int lo = 1024 + (n * k_hosts + h) * k_ports;
            rules += fmt::format("-A POSTROUTING -s {} -p tcp -j SNAT --to-source 192.0.2.1:{}-{}\n", address(n, h), lo,
                                 lo + k_ports - 1);
        }
    // A subnet rule: its rows take the general way, which asks the shared connection for sessions.
    rules += "-A POSTROUTING -s 10.0.0.0/24 -p udp -j SNAT --to-source 192.0.2.1:40000-40999\n";
    f.snapshot("vpn", k_day - 3600, nat_table(rules));
    f.index({"vpn"});
    SessionIngestOptions o;
    o.logs = {f.dir().write("portal.log", connection_log(rng)).string()};
    o.tz = "UTC";
    std::ostringstream ingest_diag;
    REQUIRE(ingest_sessions(f.db(), o, ingest_diag).clean());

    std::string csv = "reported_at,src_ip,src_port,protocol\n";
    constexpr std::size_t k_rows = 20'000; // several chunks for each of the workers
    for (std::size_t i = 0; i < k_rows; ++i) {
        const auto t = k_day - 1800 + static_cast<UnixSeconds>(rng() % (86400 + 3600));
        if (i % 10 == 0)
            csv += fmt::format("{},192.0.2.1,{},udp\n", format_iso_utc(t), 40000 + rng() % 1000);
        else
            csv += fmt::format("{},192.0.2.1,{},tcp\n", format_iso_utc(t),
                               1024 + rng() % (k_nets * k_hosts * k_ports));
    }
    auto batch = [&](SQLite::Database& sessions) {
        std::FILE* in = fmemopen(csv.data(), csv.size(), "r");
        std::FILE* out = std::tmpfile();
        std::FILE* diag = std::tmpfile();
        REQUIRE((in && out && diag));
        PackedHistory history(f.db());
        BatchOptions options;
        options.threads = 4;
        options.sessions = &sessions;
        const auto summary = run_batch(in, out, history, TimeParser("UTC"), options, diag);
        auto rows = read_csv(out);
        std::fclose(in);
        std::fclose(out);
        std::fclose(diag);
        CHECK(summary.rows == k_rows);
        return rows;
    };
    // As natfw-trace gives it: a connection for threads, in one read transaction.
    auto shared = open_index_for_reading(f.db().getFilename());
    REQUIRE(usable_by_threads(*shared));
    shared->exec("BEGIN");
    const auto rows = batch(*shared);
    // The writing connection threads must not share: each worker opens its own.
    REQUIRE_FALSE(usable_by_threads(f.db()));
    CHECK(batch(f.db()) == rows);
    REQUIRE(rows.size() == k_rows + 1);
    REQUIRE(rows[0].size() == 13);
    CHECK(rows[0][11] == "natfw_user");
    CHECK(rows[0][12] == "natfw_user_status");

    // The single lookup's way: SQL for the rules, sessions with their evidence.
    SqlHistory sql(f.db());
    Tracer tracer(sql, false);
    SessionHistory sessions(f.db());
    TimeParser times("UTC");
    BatchCells want;
    std::size_t mismatches = 0;
    std::map<std::string, int> user_statuses;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& row = rows[i];
        Query q = make_query({row[0], row[1], row[2]}, row[3], "", times);
        Answer a = tracer.lookup(q);
        attribute_users(sessions, q, a);
        batch_cells(q, a, want);
        ++user_statuses[row[12]];
        const std::vector<std::string> got(row.begin() + 4, row.end());
        const std::vector<std::string> expected{want.status,  want.internal, want.time,
                                                want.node,    want.snapshot, want.line,
                                                want.message, want.user,     want.user_status};
        if (got != expected && ++mismatches <= 5)
            FAIL_CHECK("row " << i << " (" << row[0] << " " << row[2] << " " << row[3] << "): batch user [" << row[11]
                              << "] " << row[12] << " [" << row[10] << "], single [" << want.user << "] "
                              << want.user_status << " [" << want.message << "]");
    }
    CHECK(mismatches == 0);
    // Every kind of user answer is met, or agreeing proves little.
    CHECK(user_statuses["unique"] > 5000);
    CHECK(user_statuses["none"] > 100);
    CHECK(user_statuses["unknown"] > 100);
    CHECK(user_statuses["ambiguous"] > 100);
}
