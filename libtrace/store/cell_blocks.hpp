#pragma once
// Reading a ruleset's cells from their blocks (store/cell_block.hpp): the
// column below an address, the cell holding a port in it, whether the
// column has an SNAT cell. The last block decoded is kept, as a lookup asks
// for the same cell once per candidate rule.
#include "derive/nat_cells.hpp"
#include "store/cell_block.hpp"
#include "store/lazy_statement.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace natfw {

class CellBlocks {
public:
    explicit CellBlocks(SQLite::Database& db);

    /// The greatest column start (pub_lo) at or below `ip`, if any.
    std::optional<Ipv4> column(std::int64_t ruleset, int proto, Ipv4 ip);
    /// Appends, by rule, the cells of column `pub_lo` with the greatest
    /// port_lo at or below `port` (they may end before `port`: the caller checks).
    void cells_at(std::int64_t ruleset, int proto, Ipv4 pub_lo, std::uint16_t port, std::vector<NatCell>& out);
    /// Whether column `pub_lo` has a cell of a reached SNAT rule whose
    /// addresses go up to `ip` or beyond.
    bool has_snat(std::int64_t ruleset, int proto, Ipv4 pub_lo, Ipv4 ip);

private:
    /// Decodes the block in the statement's current row (port_lo, body).
    const std::vector<NatCell>& decode(SQLite::Statement& st, std::int64_t ruleset, int proto, Ipv4 pub_lo);

    LazyStatement m_column, m_block_at, m_has_snat;
    std::int64_t m_cached_ruleset = -1;
    CellBlockKey m_cached_key;
    std::vector<NatCell> m_cached;
};

} // namespace natfw
