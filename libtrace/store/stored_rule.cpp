#include "store/stored_rule.hpp"

#include "util/text.hpp"
#include "util/tokenize.hpp"

#include <SQLiteCpp/Column.h>

namespace natfw {

Rule stored_rule(SQLite::Statement& st)
{
    auto address = [&](int column) { return static_cast<Ipv4>(st.getColumn(column).getInt64()); };
    auto port = [&](int column) { return static_cast<std::uint16_t>(st.getColumn(column).getInt()); };
    Rule r;
    r.position = st.getColumn(0).getInt();
    r.line = st.getColumn(1).getInt();
    r.chain = st.getColumn(2).getString();
    r.target = st.getColumn(3).getString();
    r.proto = st.getColumn(4).getString();
    r.proto_negated = st.getColumn(5).getInt() != 0;
    r.source = {{address(6), address(7)}, st.getColumn(8).getInt() != 0};
    if (!st.getColumn(9).isNull())
        r.to_addresses = Ipv4Range{address(9), address(10)};
    if (!st.getColumn(11).isNull())
        r.to_ports = PortRange{port(11), port(12)};
    r.conditions = split_lines(st.getColumn(13).getString());
    r.text = st.getColumn(14).getString();
    r.goto_chain = st.getColumn(15).getInt() != 0;
    return r;
}

bool continues_with_goto(std::string_view rule_text)
{
    for (const auto& t : tokenize(rule_text).tokens)
        if (!t.quoted && (t.text == "-g" || t.text == "--goto"))
            return true;
    return false;
}

RuleDetail fetch_rule_detail(SQLite::Statement& st, std::int64_t ruleset, int position)
{
    st.reset();
    st.bind(1, ruleset);
    st.bind(2, position);
    if (!st.executeStep())
        return {};
    return {st.getColumn(0).getString(), split_lines(st.getColumn(1).getString())};
}

} // namespace natfw
