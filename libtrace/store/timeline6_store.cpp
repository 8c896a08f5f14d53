#include "store/timeline6_store.hpp"

#include "store/statements.hpp"
#include "util/errors.hpp"
#include "util/text.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>


namespace natfw {

Timeline6Store::Timeline6Store(SQLite::Database& db)
    : m_db(db), m_node_snapshots(db, sql::k_node_snapshots6), m_find_ruleset(db, sql::k_find_ruleset6),
      m_insert_ruleset(db, sql::k_insert_ruleset6), m_insert_rule(db, sql::k_insert_rule6),
      m_insert_snapshot(db, sql::k_insert_snapshot6), m_update_stat(db, sql::k_update_snapshot6_stat),
      m_insert_diagnostic(db, sql::k_insert_diagnostic6)
{
}

std::vector<IndexedSnapshot> Timeline6Store::snapshots(std::int64_t node_id)
{
    return read_indexed_snapshots(m_node_snapshots, node_id);
}

std::int64_t Timeline6Store::store_ruleset(const std::vector<Rule>& rules)
{
    std::string digest = ruleset_digest(rules);
    m_find_ruleset.reset();
    m_find_ruleset.bind(1, digest);
    if (m_find_ruleset.executeStep())
        return m_find_ruleset.getColumn(0).getInt64();
    m_insert_ruleset.reset();
    m_insert_ruleset.bind(1, digest);
    m_insert_ruleset.bind(2, static_cast<std::int64_t>(rules.size()));
    m_insert_ruleset.exec();
    std::int64_t id = m_db.getLastInsertRowid();
    for (const auto& r : rules) {
        auto& st = m_insert_rule;
        st.reset();
        st.bind(1, id);
        st.bind(2, r.position);
        st.bind(3, r.line);
        st.bind(4, r.chain);
        st.bind(5, r.target);
        st.bind(6, r.goto_chain ? 1 : 0);
        st.bind(7, r.proto);
        st.bind(8, r.proto_negated ? 1 : 0);
        st.bind(9, format_ipv6_range(r.source6));
        st.bind(10, r.source.negated ? 1 : 0);
        if (r.to_addresses6)
            st.bind(11, format_ipv6_range(*r.to_addresses6));
        else
            st.bind(11);
        if (r.to_ports) {
            st.bind(12, r.to_ports->lo);
            st.bind(13, r.to_ports->hi);
        } else {
            st.bind(12);
            st.bind(13);
        }
        st.bind(14, fmt::format("{}", fmt::join(r.conditions, "\n")));
        st.bind(15, r.text);
        st.exec();
    }
    return id;
}

std::int64_t Timeline6Store::insert_snapshot(const NewSnapshot& s)
{
    bind_new_snapshot(m_insert_snapshot, s);
    m_insert_snapshot.exec();
    return m_db.getLastInsertRowid();
}

Rule stored_rule6(SQLite::Statement& st)
{
    Rule r;
    r.position = st.getColumn(0).getInt();
    r.line = st.getColumn(1).getInt();
    r.chain = st.getColumn(2).getString();
    r.target = st.getColumn(3).getString();
    r.goto_chain = st.getColumn(4).getInt() != 0;
    r.proto = st.getColumn(5).getString();
    r.proto_negated = st.getColumn(6).getInt() != 0;
    // Written by format_ipv6_range; --verify's digest check finds a damaged one.
    r.source6 = parse_ipv6_range(st.getColumn(7).getString()).value_or(Ipv6Range{});
    r.source.negated = st.getColumn(8).getInt() != 0;
    if (!st.getColumn(9).isNull())
        r.to_addresses6 = parse_ipv6_range(st.getColumn(9).getString());
    if (!st.getColumn(10).isNull())
        r.to_ports = PortRange{static_cast<std::uint16_t>(st.getColumn(10).getInt()),
                               static_cast<std::uint16_t>(st.getColumn(11).getInt())};
    r.conditions = split_lines(st.getColumn(12).getString());
    r.text = st.getColumn(13).getString();
    return r;
}

void Timeline6Store::update_stat(std::int64_t snapshot_id, const FileStat& stat)
{
    run_update_stat(m_update_stat, snapshot_id, stat);
}

void Timeline6Store::add_diagnostic(std::int64_t snapshot_id, const Diagnostic& d)
{
    run_add_diagnostic(m_insert_diagnostic, snapshot_id, d);
}

void Timeline6Store::record_node_address(std::int64_t node_id, UnixSeconds from, Ipv6 address)
{
    SQLite::Statement find(m_db, sql::k_find_node_address6);
    find.bind(1, node_id);
    find.bind(2, static_cast<std::int64_t>(from));
    const auto text = format_ipv6(address);
    if (find.executeStep()) {
        auto recorded = find.getColumn(0).getString();
        if (recorded == text)
            return;
        throw Error(fmt::format("the node's IPv6 address from {} is recorded as {}; a recorded address is never "
                                "rewritten: record the new one with a later --masquerade-from",
                                format_iso_utc(from), recorded));
    }
    SQLite::Statement insert(m_db, sql::k_insert_node_address6);
    insert.bind(1, node_id);
    insert.bind(2, static_cast<std::int64_t>(from));
    insert.bind(3, text);
    insert.exec();
}

} // namespace natfw
