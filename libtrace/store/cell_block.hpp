#pragma once
// A ruleset's cells (derive/nat_cells.hpp) stored in blocks: consecutive
// cells of one protocol and one public-address column, written as one
// compressed value. A row per cell made the cell table half of an index and
// its inserts a third of indexing; a lookup decodes the one block that holds
// the port it asks about.
#include "derive/nat_cells.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// Cells per block, unless one (address, port) cell is covered by more
/// rules: the rules of one cell are never split over two blocks.
inline constexpr std::size_t k_block_cells = 256;

/// The key a block's row carries: its cells' protocol and column, and its
/// first cell's port.
struct CellBlockKey {
    int proto = 0;
    Ipv4 pub_lo = 0;
    std::uint16_t port_lo = 0;
    friend bool operator==(const CellBlockKey&, const CellBlockKey&) = default;
};

struct EncodedCellBlock {
    CellBlockKey key;
    /// The largest pub_hi of a cell whose rule some source reaches and that
    /// is not MASQUERADE (an address the node translates to), if any.
    std::optional<Ipv4> snat_pub_hi;
    std::string body;
};

/// `cells` as build_nat_cells gives them (per protocol, sorted by pub_lo,
/// port_lo, position), cut into blocks.
std::vector<EncodedCellBlock> encode_cell_blocks(const std::vector<NatCell>& cells);

/// The cells of a block, in their order. Throws Error when `body` is not a
/// block this code wrote or was not written for `key` (a damaged row).
std::vector<NatCell> decode_cell_block(std::string_view body, const CellBlockKey& key);

/// Compresses `plain` as a block's layout would be: for the fuzz target.
std::string seal_cell_block_for_tests(std::string_view plain);

} // namespace natfw
