#include "store/cell_blocks.hpp"

#include "store/database.hpp"
#include "store/sql_values.hpp"
#include "store/statements.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace natfw {

CellBlocks::CellBlocks(SQLite::Database& db)
    : m_column(db, sql::k_cell_column), m_block_at(db, sql::k_cell_block_at), m_has_snat(db, sql::k_cell_column_has_snat)
{
}

const std::vector<NatCell>& CellBlocks::decode(SQLite::Statement& st, std::int64_t ruleset, int proto, Ipv4 pub_lo)
{
    const auto port_lo = st.getColumn(0).getInt64();
    CellBlockKey key{proto, pub_lo, static_cast<std::uint16_t>(port_lo)};
    if (m_cached_ruleset == ruleset && m_cached_key == key)
        return m_cached;
    m_cached_ruleset = -1;
    try {
        if (port_lo < 0 || port_lo > 65535)
            throw Error("its row's port is out of range");
        m_cached = decode_cell_block(blob_view(st.getColumn(1)), key);
    } catch (const Error& e) {
        throw IndexDamaged(fmt::format("ruleset {}, the {} cells from {} port {}: {}", ruleset,
                                       proto == k_proto_tcp ? "tcp" : "udp", format_ipv4(pub_lo), port_lo, e.what()));
    }
    m_cached_ruleset = ruleset;
    m_cached_key = key;
    return m_cached;
}

std::optional<Ipv4> CellBlocks::column(std::int64_t ruleset, int proto, Ipv4 ip)
{
    auto& st = *m_column;
    st.reset();
    st.bind(1, ruleset);
    st.bind(2, proto);
    st.bind(3, static_cast<std::int64_t>(ip));
    if (!st.executeStep() || st.getColumn(0).isNull())
        return std::nullopt;
    const auto pub_lo = st.getColumn(0).getInt64();
    if (pub_lo < 0 || pub_lo > ip)
        throw IndexDamaged(fmt::format("ruleset {}: a cell column starts at {}, outside the addresses", ruleset, pub_lo));
    return static_cast<Ipv4>(pub_lo);
}

void CellBlocks::cells_at(std::int64_t ruleset, int proto, Ipv4 pub_lo, std::uint16_t port, std::vector<NatCell>& out)
{
    auto& st = *m_block_at;
    st.reset();
    st.bind(1, ruleset);
    st.bind(2, proto);
    st.bind(3, static_cast<std::int64_t>(pub_lo));
    st.bind(4, port);
    if (!st.executeStep())
        return;
    const auto& cells = decode(st, ruleset, proto, pub_lo);
    // The last cell starting at or below the port, then every rule of that cell.
    auto end = std::upper_bound(cells.begin(), cells.end(), port,
                                [](std::uint16_t p, const NatCell& c) { return p < c.port_lo; });
    if (end == cells.begin())
        return; // cannot happen: the block starts at or below the port, and decoding checked that
    auto begin = end - 1;
    while (begin != cells.begin() && (begin - 1)->port_lo == (end - 1)->port_lo)
        --begin;
    out.insert(out.end(), begin, end);
}

bool CellBlocks::has_snat(std::int64_t ruleset, int proto, Ipv4 pub_lo, Ipv4 ip)
{
    auto& st = *m_has_snat;
    st.reset();
    st.bind(1, ruleset);
    st.bind(2, proto);
    st.bind(3, static_cast<std::int64_t>(pub_lo));
    st.bind(4, static_cast<std::int64_t>(ip));
    if (!st.executeStep())
        return false;
    // The row's summary says yes: its cells must say so too.
    const auto& cells = decode(st, ruleset, proto, pub_lo);
    const bool confirmed = std::any_of(cells.begin(), cells.end(), [&](const NatCell& c) {
        return !c.masquerade && !c.never && c.pub_hi >= ip;
    });
    if (!confirmed)
        throw IndexDamaged(fmt::format("ruleset {}: the {} cells from {} port {} have no SNAT cell their row says "
                                       "they have",
                                       ruleset, proto == k_proto_tcp ? "tcp" : "udp", format_ipv4(pub_lo),
                                       st.getColumn(0).getInt64()));
    return true;
}

} // namespace natfw
