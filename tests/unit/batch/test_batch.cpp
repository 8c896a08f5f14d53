#include "batch/batch.hpp"
#include "util/errors.hpp"
#include "index_fixture.hpp"
#include "query/packed_history.hpp"
#include "util/csv.hpp"

#include <doctest/doctest.h>

#include <fmt/format.h>

#include <cstdio>
#include <random>

using namespace natfw;
using test::IndexFixture;
using test::nat_table;

namespace {

struct BatchRun {
    std::vector<std::vector<std::string>> rows; ///< output, header first
    BatchSummary summary;
    std::string diag;
};

BatchRun run(IndexFixture& f, const std::string& csv, BatchOptions options = {})
{
    std::FILE* in = fmemopen(const_cast<char*>(csv.data()), csv.size(), "r");
    std::FILE* out = std::tmpfile();
    std::FILE* diag = std::tmpfile();
    REQUIRE((in && out && diag));
    PackedHistory history(f.db());
    BatchRun r;
    r.summary = run_batch(in, out, history, TimeParser("UTC"), options, diag);
    std::rewind(out);
    CsvReader reader(out, options.delimiter);
    std::vector<std::string_view> cells;
    while (reader.next(cells))
        r.rows.emplace_back(cells.begin(), cells.end());
    std::rewind(diag);
    char buf[4096];
    std::size_t n = std::fread(buf, 1, sizeof buf, diag);
    r.diag.assign(buf, n);
    std::fclose(in);
    std::fclose(out);
    std::fclose(diag);
    return r;
}

std::string hosts(const std::string& src, const std::string& pub, const std::string& ports)
{
    return "-A POSTROUTING -s " + src + " -p tcp -j SNAT --to-source " + pub + ":" + ports + "\n" +
           "-A POSTROUTING -s " + src + " -p udp -j SNAT --to-source " + pub + ":" + ports + "\n";
}

} // namespace

TEST_CASE("run_batch")
{
    IndexFixture f;
    f.snapshot("vpn", 1000000000,
               nat_table(hosts("10.0.0.2", "192.0.2.1", "65280-65535") + hosts("10.0.0.3", "192.0.2.1", "65024-65279") +
                         "-A POSTROUTING -s 10.1.0.0/24 -p tcp -j SNAT --to-source 192.0.2.1:1024-2047\n"));
    f.index({"vpn"});
    const std::string snap = (f.dir().path() / "vpn/rules.v4.1000000000").string();

    SUBCASE("every row once, in order, cells unchanged, natfw columns appended")
    {
        auto r = run(f, "id,reported_at,src_ip,src_port,protocol,note\n"
                        "1,2001-09-09T02:00:00Z,192.0.2.1,65300,tcp,\"a, b\"\n"
                        "2,@1000007200,192.0.2.1,65300,,=cmd()\n"
                        "3,2001-09-09 02:00:00,192.0.2.1,1500,TCP,\n"
                        "4,2001-09-09T02:00:00Z,192.0.2.9,65300,udp,\n");
        REQUIRE(r.rows.size() == 5);
        CHECK(r.rows[0] == std::vector<std::string>{"id", "reported_at", "src_ip", "src_port", "protocol", "note",
                                                    "natfw_status", "natfw_internal", "natfw_time", "natfw_node",
                                                    "natfw_snapshot", "natfw_line", "natfw_message"});
        CHECK(r.rows[1] == std::vector<std::string>{"1", "2001-09-09T02:00:00Z", "192.0.2.1", "65300", "tcp", "a, b",
                                                    "unique", "10.0.0.2", "2001-09-09T02:00:00Z", "vpn", snap, "6",
                                                    ""});
        CHECK(r.rows[2] == std::vector<std::string>{"2", "@1000007200", "192.0.2.1", "65300", "", "=cmd()", "unique",
                                                    "10.0.0.2", "2001-09-09T03:46:40Z", "vpn", snap, "6+7", ""});
        CHECK(r.rows[3][6] == "ambiguous");
        CHECK(r.rows[3][7] == "10.1.0.0/24");
        CHECK(r.rows[3][12] == "the rule's source 10.1.0.0/24 covers more than one address");
        CHECK(r.rows[4][6] == "none");
        CHECK(r.rows[4][12].find("does not map 192.0.2.9") != std::string::npos);
        CHECK(r.summary.rows == 4);
        CHECK(r.summary.unique == 2);
        CHECK(r.summary.ambiguous == 1);
        CHECK(r.summary.none == 1);
        CHECK(r.diag == "natfw-trace: columns: time=reported_at ip=src_ip port=src_port protocol=protocol\n");
    }
    SUBCASE("bad rows get an error in their own row and the batch goes on")
    {
        auto r = run(f, "time,ip,port,proto\n"
                        "yesterday,192.0.2.1,65300,tcp\n"
                        "2001-09-09T02:00:00Z,192.0.2,65300,tcp\n"
                        "2001-09-09T02:00:00Z,192.0.2.1,0,tcp\n"
                        "2001-09-09T02:00:00Z,192.0.2.1,65536,tcp\n"
                        "2001-09-09T02:00:00Z,192.0.2.1,,tcp\n"
                        ",192.0.2.1,1,tcp\n"
                        "2001-09-09T02:00:00Z,192.0.2.1,65300,icmp\n"
                        "2001-09-09T02:00:00Z,192.0.2.1\n"
                        "2001-09-09T02:00:00Z,192.0.2.1,65300,tcp,extra\n"
                        "2001-09-09T02:00:00Z,192.0.2.1,65300,tcp\n");
        REQUIRE(r.rows.size() == 11);
        for (std::size_t i = 1; i < r.rows.size(); ++i)
            CHECK(r.rows[i].size() == 11);
        std::vector<std::string> messages;
        for (std::size_t i = 1; i <= 9; ++i) {
            CHECK(r.rows[i][4] == "error");
            messages.push_back(r.rows[i][10]);
        }
        CHECK(messages[0].find("cannot read time \"yesterday\"") == 0);
        CHECK(messages[1] == "\"192.0.2\" is not an IPv4 or IPv6 address");
        CHECK(messages[2] == "port 0 is outside 1-65535");
        CHECK(messages[3] == "port 65536 is outside 1-65535");
        CHECK(messages[4] == "the port cell is empty");
        CHECK(messages[5] == "the time cell is empty");
        CHECK(messages[6].find("ICMP has no ports") == 0);
        CHECK(messages[7] == "the row has 2 cells, the header 4; cells padded to fit");
        CHECK(r.rows[8][2] == "");
        CHECK(messages[8] == "the row has 5 cells, the header 4; cells cut to fit");
        CHECK(r.rows[10][4] == "unique");
        CHECK(r.summary.error == 9);
        CHECK(r.summary.unique == 1);
    }
    SUBCASE("an unterminated quote is an error row, and the 999 rows after it are answered")
    {
        std::string csv = "time,ip,port,note\n2001-09-09T02:00:00Z,192.0.2.1,65300,\"quoted start\n";
        for (int i = 0; i < 999; ++i)
            csv += "2001-09-09T02:00:00Z,192.0.2.1,65300,n\n";
        auto r = run(f, csv);
        REQUIRE(r.rows.size() == 1001);
        CHECK(r.rows[1][4] == "error");
        CHECK(r.rows[1][3] == "quoted start");
        CHECK(r.rows[1][10].find("never closed") != std::string::npos);
        CHECK(r.rows[2][4] == "unique");
        CHECK(r.rows[1000][4] == "unique");
        CHECK(r.summary.rows == 1000);
        CHECK(r.summary.unique == 999);
        CHECK(r.summary.error == 1);
    }
    SUBCASE("semicolons, a BOM and CRLF; output keeps the delimiter, LF, no BOM")
    {
        auto r = run(f, "\xEF\xBB\xBF" "Date;Source-IP;Source-Port\r\n2001-09-09 02:00:00;192.0.2.1;65300\r\n");
        REQUIRE(r.rows.size() == 2);
        REQUIRE(r.rows[1].size() == 10);
        CHECK(r.rows[0][0] == "Date");
        CHECK(r.rows[1][3] == "unique");
    }
    SUBCASE("--escape-formulas neutralises input cells")
    {
        BatchOptions o;
        o.escape_input_formulas = true;
        auto r = run(f, "time,ip,port,note\n2001-09-09T02:00:00Z,192.0.2.1,65300,=cmd()\n", o);
        CHECK(r.rows[1][3] == "'=cmd()");
    }
    SUBCASE("no usable header")
    {
        CHECK_THROWS_WITH_AS(run(f, ""), "the CSV input is empty: it needs a header row", UsageError);
        CHECK_THROWS_AS(run(f, "a,b\n1,2\n"), UsageError);
    }
}

TEST_CASE("run_batch answers 100,000 rows exactly as single lookups do")
{
    // A history with what makes answers differ: changing blocks, a subnet
    // rule, MASQUERADE, tcp and udp that disagree, an unusable snapshot, a
    // second node sharing the public address for a while.
    IndexFixture f;
    std::mt19937 rng(20201226);
    const UnixSeconds t0 = 1600000000;
    for (int k = 0; k < 30; ++k) {
        UnixSeconds ts = t0 + k * 7200 + static_cast<UnixSeconds>(rng() % 600);
        if (k == 12) {
            f.snapshot("vpn", ts, nat_table("-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:0-9\n"));
            continue;
        }
        int clients = 40 + k * 3;
        int ppc = 1024 >> (k % 4);
        std::string rules;
        for (int c = 0; c < clients; ++c) {
            int hi = 65535 - c * ppc, lo = hi - ppc + 1;
            std::string src = fmt::format("10.{}.{}.{}", k % 3, c / 200, c % 200 + 2);
            rules += fmt::format("-A POSTROUTING -s {} -p tcp -j SNAT --to-source 192.0.2.1:{}-{}\n", src, lo, hi);
            int shift = k % 5 == 0 ? 1 : 0; // udp blocks move by one client now and then
            rules += fmt::format("-A POSTROUTING -s 10.{}.{}.{} -p udp -j SNAT --to-source 192.0.2.1:{}-{}\n", k % 3,
                                 (c + shift) / 200, (c + shift) % 200 + 2, lo, hi);
        }
        if (k % 4 == 1)
            rules += "-A POSTROUTING -s 10.9.0.0/16 -p tcp -j SNAT --to-source 192.0.2.1:1024-4095\n";
        if (k % 6 == 2)
            rules += "-A POSTROUTING -s 10.8.0.0/16 -j MASQUERADE\n";
        f.snapshot("vpn", ts, nat_table(rules));
    }
    f.snapshot("other", t0 + 50000, nat_table(hosts("10.77.0.2", "192.0.2.1", "65000-65535")));
    f.snapshot("other", t0 + 90000, nat_table(hosts("10.77.0.2", "198.51.100.1", "65000-65535")));
    f.index({"vpn", "other"});

    const char* ips[] = {"192.0.2.1", "192.0.2.1", "192.0.2.1", "198.51.100.1", "203.0.113.1"};
    const char* protos[] = {"tcp", "udp", ""};
    std::string csv = "reported_at,src_ip,src_port,protocol\n";
    std::vector<std::vector<std::string>> inputs;
    constexpr int k_rows = 100'000;
    for (int i = 0; i < k_rows; ++i) {
        UnixSeconds t = t0 - 3600 + static_cast<UnixSeconds>(rng() % (30 * 7200 + 7200));
        if (i % 7 == 0)
            t = t0 + static_cast<UnixSeconds>(rng() % 30) * 7200 + static_cast<UnixSeconds>(rng() % 1200) - 300;
        int port = i % 11 == 0 ? static_cast<int>(rng() % 65536) : 65535 - static_cast<int>(rng() % 20000);
        std::string when;
        switch (i % 4) {
        case 0: when = format_iso_utc(t); break;
        case 1: when = "@" + std::to_string(t); break;
        case 2: when = format_iso_utc(t).substr(0, 10) + " " + format_iso_utc(t).substr(11, 8); break;
        default: when = format_iso_utc(t + 3600).substr(0, 19) + "+01:00"; break;
        }
        std::string ip = ips[rng() % 5], port_text = std::to_string(port), proto = protos[rng() % 3];
        switch (i % 499) { // every kind of bad row, now and then
        case 1: when = "2020-13-45 99:00:00"; break;
        case 2: ip = "192.0.2.300"; break;
        case 3: port_text = "70000"; break;
        case 4: proto = "icmp"; break;
        case 5: when = format_iso_utc(t).substr(0, 19) + " IST"; break;
        default: break;
        }
        csv += fmt::format("{},{},{},{}\n", when, ip, port_text, proto);
        inputs.push_back({when, ip, port_text, proto});
    }
    BatchOptions threaded;
    threaded.threads = 3; // chunks finish out of order; rows must not
    auto r = run(f, csv, threaded);
    REQUIRE(r.rows.size() == k_rows + 1);
    std::size_t out_of_place = 0; // every row comes back where it was, cells unchanged
    for (std::size_t i = 1; i < r.rows.size(); ++i)
        out_of_place += std::vector<std::string>(r.rows[i].begin(), r.rows[i].begin() + 4) != inputs[i - 1];
    CHECK(out_of_place == 0);

    SqlHistory sql(f.db());
    Tracer single(sql, false);
    TimeParser times("UTC");
    BatchCells want;
    std::size_t mismatches = 0, ambiguous = 0, unique = 0, none = 0, errors = 0;
    for (std::size_t i = 1; i < r.rows.size(); ++i) {
        const auto& row = r.rows[i];
        Query q;
        BatchCells got{row[4], row[5], row[6], row[7], row[8], row[9], row[10], {}, {}};
        try {
            q = make_query({row[0], row[1], row[2]}, row[3], "", times);
            batch_cells(q, single.lookup(q), want);
        } catch (const UsageError& e) {
            want.clear();
            want.status = "error";
            want.message = e.what();
        }
        bool same = got.status == want.status && got.internal == want.internal && got.time == want.time &&
                    got.node == want.node && got.snapshot == want.snapshot && got.line == want.line &&
                    got.message == want.message;
        if (!same && ++mismatches <= 5)
            FAIL_CHECK("row " << i << " (" << row[0] << " " << row[1] << " " << row[2] << " " << row[3] << "): batch "
                              << got.status << " [" << got.internal << "] [" << got.message << "], single "
                              << want.status << " [" << want.internal << "] [" << want.message << "]");
        ambiguous += want.status == "ambiguous";
        unique += want.status == "unique";
        none += want.status == "none";
        errors += want.status == "error";
    }
    CHECK(mismatches == 0);
    // The history must exercise every status, or the comparison proves little.
    CHECK(unique > 10'000);
    CHECK(none > 1'000);
    CHECK(ambiguous > 1'000);
    CHECK(errors > 100);
    MESSAGE("unique " << unique << ", none " << none << ", ambiguous " << ambiguous << ", error " << errors);
}
