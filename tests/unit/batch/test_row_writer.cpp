#include "batch/row_writer.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("RowWriter")
{
    std::string out;
    SUBCASE("cells, quoting and rows")
    {
        RowWriter w(out, ',');
        w.raw("a,\"b,c\"");
        w.known_cell("unique");
        w.known_cell("10.0.0.2 10.0.0.3");
        w.cell("say \"hi\", then go", false);
        w.end_row();
        w.cell("x", false);
        w.end_row();
        CHECK(out == "a,\"b,c\",unique,10.0.0.2 10.0.0.3,\"say \"\"hi\"\", then go\"\nx\n");
    }
    SUBCASE("formulas are made safe where asked")
    {
        RowWriter w(out, ',');
        w.cell("=cmd()", true);
        w.cell("=cmd()", false);
        w.end_row();
        CHECK(out == "'=cmd(),=cmd()\n");
    }
    SUBCASE("a delimiter that natfw's own cells may hold makes them quoted")
    {
        RowWriter w(out, ' ');
        w.known_cell("10.0.0.2 10.0.0.3");
        w.known_cell("unique");
        w.end_row();
        CHECK(out == "\"10.0.0.2 10.0.0.3\" unique\n");
    }
    SUBCASE("a repeated cell is encoded again when it changes")
    {
        RowWriter w(out, ';');
        for (const char* s : {"/a;b", "/a;b", "/c"}) {
            w.repeated_cell(s);
            w.end_row();
        }
        CHECK(out == "\"/a;b\"\n\"/a;b\"\n/c\n");
    }
}
