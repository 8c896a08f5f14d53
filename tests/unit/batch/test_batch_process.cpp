// The batch and the single-lookup process agree, checked through the real
// natfw-trace binary: 200 rows sampled from a 2,000-row batch.
#include "index_fixture.hpp"
#include "util/csv.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <random>

using namespace natfw;

namespace {

std::string run_process(const std::string& command)
{
    std::FILE* p = popen(command.c_str(), "r");
    REQUIRE(p);
    std::string out;
    char buf[4096];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0)
        out.append(buf, n);
    pclose(p);
    return out;
}

std::string quote(const std::string& s) { return "'" + s + "'"; }

} // namespace

TEST_CASE("natfw-trace --batch rows match single natfw-trace processes")
{
    test::IndexFixture f;
    for (const char* node : {"sample-vpn1", "mixed-rules", "unusable-history"}) {
        IndexOptions o;
        o.dirs = {std::filesystem::path(NATFW_TEST_DATA) / node};
        o.node_name = node;
        std::ostringstream diag;
        index_directories(f.db(), o, diag);
    }
    const std::string db = (f.dir().path() / "index.sqlite").string();

    std::mt19937 rng(4711);
    struct Target {
        const char* ip;
        UnixSeconds from, span;
        int port_lo, port_hi;
    };
    const Target targets[] = {{"192.0.2.10", 1596240000 - 86400, 70'000'000, 40000, 65535},
                              {"203.0.113.7", 1600000000 - 3600, 40'000'000, 59000, 65000},
                              {"203.0.113.5", 1600000000 - 3600, 600'000, 49000, 65535}};
    const char* protos[] = {"tcp", "udp", ""};
    std::string csv = "reported_at,src_ip,src_port,protocol\n";
    for (int i = 0; i < 2000; ++i) {
        const Target& t = targets[rng() % 3];
        UnixSeconds when = t.from + static_cast<UnixSeconds>(rng() % static_cast<unsigned>(t.span));
        int port = t.port_lo + static_cast<int>(rng() % static_cast<unsigned>(t.port_hi - t.port_lo + 1));
        csv += fmt::format("{},{},{},{}\n", format_iso_utc(when), t.ip, port, protos[rng() % 3]);
    }
    auto input = f.dir().write("complaints.csv", csv);
    std::string out = run_process(fmt::format("{} --db {} --batch {} 2>/dev/null", NATFW_TRACE_BIN, quote(db),
                                              quote(input.string())));
    std::FILE* mem = fmemopen(out.data(), out.size(), "r");
    REQUIRE(mem);
    CsvReader reader(mem, ',');
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string_view> cells;
    while (reader.next(cells))
        rows.emplace_back(cells.begin(), cells.end());
    std::fclose(mem);
    REQUIRE(rows.size() == 2001);

    int compared = 0, differing = 0;
    std::map<std::string, int> statuses;
    for (std::size_t i = 1; i < rows.size(); i += 10) {
        const auto& r = rows[i];
        std::string proto = r[3].empty() ? "" : "--proto " + r[3];
        auto single = nlohmann::json::parse(run_process(fmt::format("{} --db {} --format json {} {} {} {}",
                                                                    NATFW_TRACE_BIN, quote(db), proto, r[0], r[1], r[2])));
        std::string internals, lines;
        for (const auto& c : single["candidates"]) {
            std::string word = c["internal"].get<std::string>();
            if (internals.find(word) == std::string::npos)
                internals += (internals.empty() ? "" : " ") + word;
        }
        bool same = single["status"] == r[4] && internals == r[5] && single["query"]["time"] == r[6];
        if (!same && ++differing <= 5)
            FAIL_CHECK("row " << i << ": batch " << r[4] << " [" << r[5] << "], process " << single["status"] << " ["
                              << internals << "]");
        if (single["status"] != "none" && !single["candidates"].empty())
            CHECK(single["candidates"][0]["snapshot"] == r[8].substr(0, r[8].find(' ')));
        ++statuses[r[4]];
        ++compared;
    }
    CHECK(compared == 200);
    CHECK(differing == 0);
    CHECK(statuses["unique"] > 20);
    CHECK(statuses["none"] > 5);
    CHECK(statuses["ambiguous"] > 5);
}
