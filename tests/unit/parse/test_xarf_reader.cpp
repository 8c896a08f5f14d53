#include "parse/xarf_reader.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace natfw;

namespace {

std::vector<XarfReport> read(std::string text, XarfReadSummary* summary = nullptr)
{
    std::FILE* f = fmemopen(text.data(), text.size(), "r");
    REQUIRE(f);
    std::vector<XarfReport> out;
    try {
        auto s = read_xarf(f, [&](XarfReport& r) { out.push_back(r); });
        if (summary)
            *summary = s;
    } catch (...) {
        std::fclose(f);
        throw;
    }
    std::fclose(f);
    return out;
}

constexpr const char* k_report = R"({"xarf_version": "4.2.0", "report_id": "r1", "timestamp": "2020-12-26T12:37:42Z",
 "reporter": {"org": "X", "timestamp": "1999-01-01T00:00:00Z"}, "source_identifier": "192.0.2.10",
 "source_port": 65300, "protocol": "tcp", "first_seen": "2020-12-26T12:30:00Z", "last_seen": "2020-12-26T12:40:00Z",
 "evidence": [{"source_port": 1, "payload": "eA=="}], "destination_port": 22})";

} // namespace

TEST_CASE("read_xarf: the fields of a report, and only the report's own (not those of nested objects)")
{
    auto rs = read(k_report);
    REQUIRE(rs.size() == 1);
    const auto& r = rs[0];
    CHECK(r.error == "");
    CHECK(r.number == 1);
    CHECK(r.line == 1);
    CHECK(r.report_id == "r1");
    CHECK(r.timestamp == "2020-12-26T12:37:42Z");
    CHECK(r.source_identifier == "192.0.2.10");
    CHECK(r.source_port == "65300");
    CHECK(r.protocol == "tcp");
    CHECK(r.first_seen == "2020-12-26T12:30:00Z");
    CHECK(r.last_seen == "2020-12-26T12:40:00Z");
}

TEST_CASE("read_xarf: one report, an array, JSON lines and pretty-printed reports one after another")
{
    SUBCASE("an array, pretty-printed, its reports numbered with their first line")
    {
        auto rs = read("[\n  {\"timestamp\": \"t1\",\n   \"source_identifier\": \"a\"},\n  {\"timestamp\": \"t2\"}\n]\n");
        REQUIRE(rs.size() == 2);
        CHECK(rs[0].timestamp == "t1");
        CHECK(rs[0].line == 2);
        CHECK(rs[1].number == 2);
        CHECK(rs[1].line == 4);
        CHECK(rs[1].timestamp == "t2");
    }
    SUBCASE("JSON lines with CRLF, a byte order mark and blank lines")
    {
        auto rs = read("\xEF\xBB\xBF{\"timestamp\": \"t1\"}\r\n\r\n{\"timestamp\": \"t2\"}\r\n");
        REQUIRE(rs.size() == 2);
        CHECK(rs[1].line == 3);
        CHECK(rs[1].timestamp == "t2");
    }
    SUBCASE("pretty-printed reports, then an array, then a line")
    {
        auto rs = read("{\n\t\"timestamp\": \"t1\"\n}\n{\n\t\"timestamp\": \"t2\"\n}\n[{\"timestamp\": \"t3\"}]\n{\"timestamp\": \"t4\"}");
        REQUIRE(rs.size() == 4);
        CHECK(rs[1].line == 4);
        CHECK(rs[3].timestamp == "t4");
        CHECK(rs[3].number == 4);
    }
    SUBCASE("an empty array has no reports")
    {
        CHECK(read(" [ ] ").empty());
    }
}

TEST_CASE("read_xarf: numbers, texts and nulls as XARF senders write them")
{
    auto rs = read(R"({"source_port": "65300", "timestamp": 1608986262, "first_seen": null, "report_id": 7})");
    REQUIRE(rs.size() == 1);
    CHECK(rs[0].error == "");
    CHECK(rs[0].source_port == "65300");
    CHECK(rs[0].timestamp == "@1608986262"); // a number for a time: UNIX seconds
    CHECK(rs[0].first_seen == "");
    CHECK(rs[0].report_id == "7");
}

TEST_CASE("read_xarf: a field of the wrong type, or an element that is no report, is an error report of its own")
{
    auto rs = read(R"([{"source_port": true, "timestamp": "t"}, {"source_identifier": 19216801}, 5, "x", [1],
                       {"timestamp": {"at": "t"}}, {"source_port": ""}, {"timestamp": "ok"}])");
    REQUIRE(rs.size() == 8);
    CHECK(rs[0].error == "source_port is true or false");
    CHECK(rs[0].timestamp == "t");
    CHECK(rs[1].error == "source_identifier is a number");
    CHECK(rs[2].error == "a number where a report (a JSON object) belongs");
    CHECK(rs[3].error == "a text where a report (a JSON object) belongs");
    CHECK(rs[4].error == "an array where a report (a JSON object) belongs");
    CHECK(rs[5].error == "timestamp is an object");
    CHECK(rs[6].error == "source_port is an empty text");
    CHECK(rs[7].error == "");
    CHECK(rs[7].number == 8);
}

TEST_CASE("read_xarf: after a syntax error, reading goes on and no report disappears silently")
{
    SUBCASE("a JSON line cut short: the next line, which begins a report, is still read")
    {
        auto rs = read("{\"timestamp\": \"t1\", \"source_p\n{\"timestamp\": \"t2\", \"source_port\": 1,\n{\"timestamp\": \"t3\"}\n");
        REQUIRE(rs.size() == 3);
        CHECK(rs[0].error.find("line 1: not valid JSON") == 0);
        CHECK(rs[0].timestamp == "t1"); // what was read of it identifies it
        CHECK(rs[1].error == "line 2: a report cut short (it never closes); reading goes on at line 3");
        CHECK(rs[2].error == "");
        CHECK(rs[2].timestamp == "t3");
        CHECK(rs[2].line == 3);
    }
    SUBCASE("a line cut short whose next report begins exactly at a block boundary")
    {
        std::string first = "{\"timestamp\": \"t1\", \"x\": \"";
        first += std::string(65535 - first.size(), 'A') + "\n"; // the next '{' is byte 65536
        auto rs = read(first + "{\"timestamp\": \"t2\"}\n");
        REQUIRE(rs.size() == 2);
        CHECK(rs[0].error.find("line 1: not valid JSON") == 0);
        CHECK(rs[1].timestamp == "t2");
    }
    SUBCASE("a report cut short whose next report begins exactly at a block boundary")
    {
        std::string first = "{\"timestamp\": \"t1\", \"x\": \"";
        first += std::string(65536 - first.size() - 3, 'A') + "\",\n"; // "...AAA",\n then '{' is byte 65536
        auto rs = read(first + "{\"timestamp\": \"t2\"}\n");
        REQUIRE(rs.size() == 2);
        CHECK(rs[0].error == "line 1: a report cut short (it never closes); reading goes on at line 2");
        CHECK(rs[1].timestamp == "t2");
        CHECK(rs[1].line == 2);
    }
    SUBCASE("garbage lines are passed over to the next line that starts with { or [, and counted")
    {
        XarfReadSummary sum;
        auto rs = read("{\"a\": [1,2,}\n  more\n  garbage\n{\"timestamp\": \"t2\"}\n", &sum);
        REQUIRE(rs.size() == 2);
        CHECK(rs[0].error ==
              "line 1: not valid JSON: syntax error while parsing value - unexpected '}'; expected '[', '{', or a "
              "literal; reading goes on at line 4, the next that starts with { or [");
        CHECK(sum.skipped_lines == 2);
        CHECK(rs[1].timestamp == "t2");
    }
    SUBCASE("a stray value between reports")
    {
        auto rs = read("{\"timestamp\": \"t1\"}\n\"just text\"\n{\"timestamp\": \"t2\"}\n");
        REQUIRE(rs.size() == 3);
        CHECK(rs[1].error == "line 2: '\"' where a report (a JSON object) or an array of them belongs; reading goes on "
                             "at line 3, the next that starts with { or [");
        CHECK(rs[2].timestamp == "t2");
    }
    SUBCASE("a syntax error between an array's reports is reported at its own line")
    {
        auto rs = read("[\n  {\"timestamp\": \"t1\"},\n  \"x\": 1\n]\n");
        REQUIRE(rs.size() == 3);
        CHECK(rs[1].error == "a text where a report (a JSON object) belongs");
        CHECK(rs[2].number == 3);
        CHECK(rs[2].line == 3); // not line 1, where the array began
        CHECK(rs[2].error.find("line 3: not valid JSON") == 0);
    }
    SUBCASE("the input ends inside a report")
    {
        auto rs = read("[{\"timestamp\": \"t1\"}, {\"timestamp\": \"t2\"");
        REQUIRE(rs.size() == 2);
        CHECK(rs[0].error == "");
        CHECK(rs[1].number == 2);
        CHECK(rs[1].timestamp == "t2");
        CHECK(rs[1].error.find("unexpected end of input") != std::string::npos);
        CHECK(rs[1].error.find("nothing after it could be read") != std::string::npos);
    }
}

TEST_CASE("read_xarf: an input that holds no JSON report at all is refused")
{
    CHECK_THROWS_WITH_AS(read(""), "the XARF input is empty: it needs a report (a JSON object), an array of them or "
                                   "JSON lines",
                         UsageError);
    CHECK_THROWS_AS(read(" \n\t\n"), UsageError);
    CHECK_THROWS_WITH_AS(read("time,source_ip,source_port\n"),
                         "the XARF input does not begin with a JSON object or array (line 1 begins with 't')",
                         UsageError);
}

TEST_CASE("read_xarf: many reports across the reader's 64 KiB blocks, lines counted through them")
{
    std::string text;
    for (int i = 0; i < 20000; ++i)
        text += "{\"timestamp\": \"t\", \"evidence\": [{\"payload\": \"eA==\"}]}\n";
    std::size_t n = 0, last = 0;
    std::FILE* f = fmemopen(text.data(), text.size(), "r");
    REQUIRE(f);
    read_xarf(f, [&](XarfReport& r) {
        ++n;
        last = r.line;
    });
    std::fclose(f);
    CHECK(n == 20000);
    CHECK(last == 20000);
}
