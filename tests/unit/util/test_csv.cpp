#include "util/csv.hpp"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

using namespace natfw;

namespace {

using Rows = std::vector<std::vector<std::string>>;

/// Reads `text` with every chunk size in `chunks`, so records also span
/// buffer boundaries; all must agree.
Rows read_all(const std::string& text, char delimiter = 0, char* sniffed = nullptr)
{
    Rows first;
    for (std::size_t chunk : {1UL, 2UL, 3UL, 5UL, 7UL, 64UL, 65536UL}) {
        std::FILE* f = fmemopen(const_cast<char*>(text.data()), text.size(), "r");
        if (text.empty())
            f = std::tmpfile();
        REQUIRE(f);
        CsvReader reader(f, delimiter, chunk);
        Rows rows;
        std::vector<std::string_view> cells;
        while (reader.next(cells))
            rows.emplace_back(cells.begin(), cells.end());
        if (sniffed)
            *sniffed = reader.delimiter();
        std::fclose(f);
        if (chunk == 1)
            first = rows;
        else
            REQUIRE_MESSAGE(rows == first, "chunk size " << chunk);
    }
    return first;
}

} // namespace

TEST_CASE("CsvReader")
{
    SUBCASE("plain rows, LF and CRLF, with or without a final line end")
    {
        Rows want{{"a", "b"}, {"1", "2"}};
        CHECK(read_all("a,b\n1,2\n") == want);
        CHECK(read_all("a,b\r\n1,2\r\n") == want);
        CHECK(read_all("a,b\n1,2") == want);
        CHECK(read_all("a,b\r1,2\r") == want);
    }
    SUBCASE("quoted cells hold delimiters, quotes and line breaks")
    {
        CHECK(read_all("t,x\n\"Sat, 26 Dec 2020\",\"say \"\"hi\"\"\"\n\"two\r\nlines\",\"\"\n") ==
              Rows{{"t", "x"}, {"Sat, 26 Dec 2020", "say \"hi\""}, {"two\r\nlines", ""}});
    }
    SUBCASE("empty cells are kept; nothing is trimmed")
    {
        CHECK(read_all("a,,c,\n , x ,\"\",\n") == Rows{{"a", "", "c", ""}, {" ", " x ", "", ""}});
    }
    SUBCASE("a UTF-8 BOM is dropped, blank lines are skipped")
    {
        CHECK(read_all("\xEF\xBB\xBFtime,ip\n\n1,2\r\n\r\n3,4\n") == Rows{{"time", "ip"}, {"1", "2"}, {"3", "4"}});
    }
    SUBCASE("lenient: text after a closing quote is kept")
    {
        CHECK(read_all("\"ab\"c,d\n") == Rows{{"abc", "d"}});
    }
    SUBCASE("a quote never closed ends its record with its line; the lines after it are rows again")
    {
        CHECK(read_all("a,\"open\nrest") == Rows{{"a", "open"}, {"rest"}});
        CHECK(read_all("h1,h2\n1,\"two\nlines\",\"open\r\n3,4\n5,6\n") ==
              Rows{{"h1", "h2"}, {"1", "two\nlines", "open"}, {"3", "4"}, {"5", "6"}});
        std::string text = "a,b\n1,\"x\n";
        std::FILE* f = fmemopen(text.data(), text.size(), "r");
        CsvReader reader(f, 0, 4);
        std::vector<std::string_view> cells;
        REQUIRE(reader.next(cells));
        CHECK_FALSE(reader.record_unterminated());
        REQUIRE(reader.next(cells));
        CHECK(reader.record_unterminated());
        CHECK_FALSE(reader.record_well_formed());
        CHECK(reader.raw_record() == "1,\"x");
        CHECK_FALSE(reader.next(cells));
        std::fclose(f);
    }
    SUBCASE("the delimiter is sniffed from the header or given")
    {
        char d = 0;
        CHECK(read_all("time;ip;port\n2020-12-26 13:37:42;192.0.2.1;1\n", 0, &d) ==
              Rows{{"time", "ip", "port"}, {"2020-12-26 13:37:42", "192.0.2.1", "1"}});
        CHECK(d == ';');
        read_all("a\tb\n", 0, &d);
        CHECK(d == '\t');
        read_all("\"x;y\",b\n", 0, &d);
        CHECK(d == ',');
        CHECK(read_all("a;b,c\n", ',') == Rows{{"a;b", "c"}});
    }
    SUBCASE("empty input")
    {
        CHECK(read_all("").empty());
    }
}

TEST_CASE("append_csv_cell")
{
    auto quoted = [](std::string_view cell, char d = ',') {
        std::string out;
        append_csv_cell(out, cell, d);
        return out;
    };
    CHECK(quoted("plain") == "plain");
    CHECK(quoted("") == "");
    CHECK(quoted("a,b") == "\"a,b\"");
    CHECK(quoted("a;b") == "a;b");
    CHECK(quoted("a;b", ';') == "\"a;b\"");
    CHECK(quoted("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(quoted("two\nlines") == "\"two\nlines\"");
    CHECK(quoted("cr\r") == "\"cr\r\"");
    // Quotes at either end, side by side, and alone are each doubled.
    CHECK(quoted("\"") == "\"\"\"\"");
    CHECK(quoted("\"\"x,\"") == "\"\"\"\"\"x,\"\"\"");
    CHECK(quoted("a, \"b\" and \"c\"") == "\"a, \"\"b\"\" and \"\"c\"\"\"");
    SUBCASE("a character that needs quotes is found at every place of cells of every length")
    {
        // Cells are scanned eight bytes at a time, the last ones padded: a
        // match must be seen in each lane, in a full word and in the tail,
        // and a byte one away from a special one must not match.
        for (char d : {',', ';', '\t', '|'}) {
            const std::string specials{d, '"', '\n', '\r'};
            for (char special : specials)
                for (std::size_t size = 1; size <= 24; ++size)
                    for (std::size_t at = 0; at < size; ++at) {
                        std::string cell(size, 'x');
                        cell[at] = special;
                        CAPTURE(size);
                        CAPTURE(at);
                        CAPTURE(static_cast<int>(special));
                        auto out = quoted(cell, d);
                        REQUIRE(out.size() >= 2);
                        CHECK(out.front() == '"');
                        CHECK(out.back() == '"');
                    }
            for (char special : specials)
                for (char near : {static_cast<char>(special - 1), static_cast<char>(special + 1)}) {
                    if (specials.find(near) != std::string::npos)
                        continue;
                    for (std::size_t size = 1; size <= 24; ++size) {
                        const std::string cell(size, near);
                        CAPTURE(static_cast<int>(near));
                        CHECK(quoted(cell, d) == cell);
                    }
                }
        }
    }
    SUBCASE("bytes above 0x7f (UTF-8) need no quotes")
    {
        CHECK(quoted("Jürgen Müller-Lüdenscheidt") == "Jürgen Müller-Lüdenscheidt");
        CHECK(quoted("\xff\xfe\x80\x81\x82\x83\x84\x85\x86") == "\xff\xfe\x80\x81\x82\x83\x84\x85\x86");
    }
}

TEST_CASE("append_safe_csv_cell")
{
    auto safe = [](std::string_view cell) {
        std::string out;
        append_safe_csv_cell(out, cell, ',');
        return out;
    };
    CHECK(looks_like_formula("=1+1"));
    CHECK(looks_like_formula("+1"));
    CHECK(looks_like_formula("-1"));
    CHECK(looks_like_formula("@SUM(A1)"));
    CHECK(looks_like_formula("\tx"));
    CHECK_FALSE(looks_like_formula("1-1"));
    CHECK_FALSE(looks_like_formula(""));
    CHECK(safe("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(safe("-1") == "'-1");
    CHECK(safe("10.0.0.2") == "10.0.0.2");
}

TEST_CASE("CsvReader::raw_record and record_well_formed")
{
    std::string text = "a,\"b,c\",d\r\n\"x\"y,z\nq\"r,s\n\"open";
    std::FILE* f = fmemopen(text.data(), text.size(), "r");
    CsvReader reader(f, ',');
    std::vector<std::string_view> cells;
    REQUIRE(reader.next(cells));
    CHECK(reader.raw_record() == "a,\"b,c\",d");
    CHECK(reader.record_well_formed());
    REQUIRE(reader.next(cells));
    CHECK(reader.raw_record() == "\"x\"y,z");
    CHECK_FALSE(reader.record_well_formed());
    REQUIRE(reader.next(cells));
    CHECK(reader.raw_record() == "q\"r,s");
    CHECK_FALSE(reader.record_well_formed());
    REQUIRE(reader.next(cells));
    CHECK(cells[0] == "open");
    CHECK_FALSE(reader.record_well_formed());
    CHECK_FALSE(reader.next(cells));
    std::fclose(f);
}
