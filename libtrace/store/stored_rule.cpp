#include "store/stored_rule.hpp"

#include "util/text.hpp"
#include "util/tokenize.hpp"

#include <SQLiteCpp/Column.h>

namespace natfw {

Rule stored_rule(SQLite::Statement& st, int first)
{
    auto column = [&](int n) { return st.getColumn(first + n); };
    auto address = [&](int n) { return static_cast<Ipv4>(column(n).getInt64()); };
    auto port = [&](int n) { return static_cast<std::uint16_t>(column(n).getInt()); };
    Rule r;
    r.position = column(0).getInt();
    r.line = column(1).getInt();
    r.chain = column(2).getString();
    r.target = column(3).getString();
    r.proto = column(4).getString();
    r.proto_negated = column(5).getInt() != 0;
    r.source = {{address(6), address(7)}, column(8).getInt() != 0};
    if (!column(9).isNull())
        r.to_addresses = Ipv4Range{address(9), address(10)};
    if (!column(11).isNull())
        r.to_ports = PortRange{port(11), port(12)};
    r.conditions = split_lines(column(13).getString());
    r.text = column(14).getString();
    r.goto_chain = column(15).getInt() != 0;
    return r;
}

bool continues_with_goto(std::string_view rule_text)
{
    for (const auto& t : tokenize(rule_text).tokens)
        if (!t.quoted && (t.text == "-g" || t.text == "--goto"))
            return true;
    return false;
}

} // namespace natfw
