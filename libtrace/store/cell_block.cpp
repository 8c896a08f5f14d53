#include "store/cell_block.hpp"

#include "util/byte_record.hpp"
#include "util/errors.hpp"
#include "util/zstd_frame.hpp"

#include <algorithm>
#include <tuple>

namespace natfw {

namespace {

// Raised when the layout below changes; a block of another version is refused, never misread.
constexpr char k_format = '1';
constexpr int k_level = 1;
// 13 bytes a cell; a block past this is damage, not a ruleset.
constexpr std::size_t k_max_plain = std::size_t{64} << 20;
constexpr const char* k_cut = "cell block is damaged: it ends inside a cell";

/// The key is written into the body too: a flipped byte in the row's key
/// would otherwise move the block to another column or port.
void put_key(std::string& out, const CellBlockKey& key)
{
    put_value(out, static_cast<std::uint8_t>(key.proto));
    put_value(out, key.pub_lo);
    put_value(out, key.port_lo);
}

void put_cell(std::string& out, const NatCell& c)
{
    put_value(out, c.port_lo);
    put_value(out, c.port_hi);
    put_value<std::int32_t>(out, c.position);
    put_value(out, c.pub_hi);
    put_value(out, static_cast<std::uint8_t>((c.masquerade ? k_cell_masquerade : 0) | (c.never ? k_cell_never : 0)));
}

bool same_column(const NatCell& a, const NatCell& b) { return a.proto == b.proto && a.pub_lo == b.pub_lo; }
bool same_cell(const NatCell& a, const NatCell& b) { return same_column(a, b) && a.port_lo == b.port_lo; }

EncodedCellBlock seal(const NatCell* first, const NatCell* end, std::string& plain)
{
    EncodedCellBlock b;
    b.key = {first->proto, first->pub_lo, first->port_lo};
    plain.assign(1, k_format);
    put_key(plain, b.key);
    for (const NatCell* c = first; c != end; ++c) {
        put_cell(plain, *c);
        if (!c->masquerade && !c->never)
            b.snat_pub_hi = std::max(b.snat_pub_hi.value_or(0), c->pub_hi);
    }
    b.body = zstd_compress(plain, k_level, "a cell block");
    return b;
}

} // namespace

std::vector<EncodedCellBlock> encode_cell_blocks(const std::vector<NatCell>& cells)
{
    std::vector<EncodedCellBlock> out;
    std::string plain;
    std::size_t start = 0;
    for (std::size_t i = 1; i <= cells.size(); ++i) {
        if (i < cells.size()) {
            const bool full = i - start >= k_block_cells && !same_cell(cells[i - 1], cells[i]);
            if (same_column(cells[start], cells[i]) && !full)
                continue;
        }
        if (start < i)
            out.push_back(seal(cells.data() + start, cells.data() + i, plain));
        start = i;
    }
    return out;
}

std::string seal_cell_block_for_tests(std::string_view plain)
{
    return zstd_compress(plain, k_level, "a cell block");
}

std::vector<NatCell> decode_cell_block(std::string_view body, const CellBlockKey& key)
{
    const auto plain = zstd_decompress_block(body, k_format, k_max_plain, "cell block");
    ByteReader in(std::string_view(plain).substr(1), k_cut);
    CellBlockKey written;
    written.proto = in.value<std::uint8_t>();
    written.pub_lo = in.value<Ipv4>();
    written.port_lo = in.value<std::uint16_t>();
    if (!(written == key))
        throw Error("cell block is damaged: its row's key is not the one it was written under");
    std::vector<NatCell> out;
    while (!in.done()) {
        NatCell c;
        c.proto = key.proto;
        c.pub_lo = key.pub_lo;
        c.port_lo = in.value<std::uint16_t>();
        c.port_hi = in.value<std::uint16_t>();
        c.position = in.value<std::int32_t>();
        c.pub_hi = in.value<Ipv4>();
        const auto flags = in.value<std::uint8_t>();
        c.masquerade = (flags & k_cell_masquerade) != 0;
        c.never = (flags & k_cell_never) != 0;
        // The order lookups rely on: by port, then by rule; each cell within its bounds.
        const bool ordered = out.empty() ? c.port_lo == key.port_lo
                                         : std::tie(out.back().port_lo, out.back().position) <
                                               std::tie(c.port_lo, c.position);
        if (!ordered || c.port_hi < c.port_lo || c.pub_hi < c.pub_lo || c.position < 0 ||
            (flags & ~(k_cell_masquerade | k_cell_never)))
            throw Error("cell block is damaged: its cells are out of order or out of bounds");
        out.push_back(c);
    }
    if (out.empty())
        throw Error("cell block is damaged: it holds no cell");
    return out;
}

} // namespace natfw
