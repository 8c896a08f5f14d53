#include "index_fixture.hpp"
#include "derive/nat_cells.hpp"
#include "store/cell_block.hpp"
#include "store/cell_blocks.hpp"
#include "store/database.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

using namespace natfw;

namespace {

NatCell cell(int proto, Ipv4 pub_lo, std::uint16_t port_lo, int position, bool masquerade = false, bool never = false)
{
    return {proto, pub_lo, pub_lo, port_lo, port_lo, position, masquerade, never};
}

/// `n` clients, each its own two ports on 192.0.2.1 for tcp, then a subnet
/// rule shared by every client for the whole udp range.
std::string clients(int n)
{
    std::string text = "*nat\n:PREROUTING ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n";
    for (int i = 0; i < n; ++i)
        text += fmt::format("-A POSTROUTING -s 10.0.{}.{} -p tcp -j SNAT --to-source 192.0.2.1:{}-{}\n", i / 250,
                            i % 250 + 1, 1024 + 2 * i, 1024 + 2 * i + 1);
    text += "-A POSTROUTING -s 10.0.0.0/16 -p udp -j SNAT --to-source 192.0.2.1:1024-65535\nCOMMIT\n";
    return text;
}

} // namespace

TEST_CASE("cell blocks: cells come back in their order, cut at columns and every k_block_cells")
{
    std::vector<NatCell> cells;
    for (int i = 0; i < 600; ++i)
        cells.push_back(cell(k_proto_tcp, 0xC0000201u, static_cast<std::uint16_t>(1000 + i), i));
    cells.push_back(cell(k_proto_tcp, 0xC0000202u, 5, 600));
    cells.push_back(cell(k_proto_udp, 0xC0000201u, 5, 601, true));
    auto blocks = encode_cell_blocks(cells);
    // 600 cells of one column: 256 + 256 + 88; then a column of its own, then udp.
    REQUIRE(blocks.size() == 5);
    CHECK(blocks[0].key == CellBlockKey{k_proto_tcp, 0xC0000201u, 1000});
    CHECK(blocks[1].key == CellBlockKey{k_proto_tcp, 0xC0000201u, 1256});
    CHECK(blocks[2].key == CellBlockKey{k_proto_tcp, 0xC0000201u, 1512});
    CHECK(blocks[3].key == CellBlockKey{k_proto_tcp, 0xC0000202u, 5});
    CHECK(blocks[4].key == CellBlockKey{k_proto_udp, 0xC0000201u, 5});
    CHECK(blocks[0].snat_pub_hi == 0xC0000201u);
    CHECK_FALSE(blocks[4].snat_pub_hi); // MASQUERADE translates to no address the index knows
    std::vector<NatCell> back;
    for (const auto& b : blocks)
        for (const auto& c : decode_cell_block(b.body, b.key))
            back.push_back(c);
    CHECK(back == cells);
    CHECK(encode_cell_blocks({}).empty());
}

TEST_CASE("cell blocks: the rules of one cell stay in one block, however many")
{
    std::vector<NatCell> cells;
    for (int i = 0; i < 250; ++i)
        cells.push_back(cell(k_proto_tcp, 1, static_cast<std::uint16_t>(i), i));
    for (int i = 0; i < 20; ++i) // one cell that 20 rules cover, across the 256th place
        cells.push_back(cell(k_proto_tcp, 1, 300, 250 + i));
    cells.push_back(cell(k_proto_tcp, 1, 301, 270));
    auto blocks = encode_cell_blocks(cells);
    REQUIRE(blocks.size() == 2);
    CHECK(decode_cell_block(blocks[0].body, blocks[0].key).size() == 270);
    CHECK(blocks[1].key.port_lo == 301);
}

TEST_CASE("cell blocks: damage is refused, never misread")
{
    std::vector<NatCell> cells{cell(k_proto_tcp, 7, 10, 0), cell(k_proto_tcp, 7, 10, 1), cell(k_proto_tcp, 7, 12, 2)};
    auto b = encode_cell_blocks(cells).at(0);
    CHECK(decode_cell_block(b.body, b.key).size() == 3);
    SUBCASE("a flipped byte in the body")
    {
        std::string flipped = b.body;
        flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x20);
        CHECK_THROWS_AS(decode_cell_block(flipped, b.key), Error);
        CHECK_THROWS_AS(decode_cell_block(b.body.substr(0, b.body.size() - 3), b.key), Error);
        CHECK_THROWS_AS(decode_cell_block("", b.key), Error);
    }
    SUBCASE("a row whose key changed: another column, port or protocol")
    {
        CHECK_THROWS_AS(decode_cell_block(b.body, {k_proto_tcp, 8, 10}), Error);
        CHECK_THROWS_AS(decode_cell_block(b.body, {k_proto_tcp, 7, 11}), Error);
        CHECK_THROWS_AS(decode_cell_block(b.body, {k_proto_udp, 7, 10}), Error);
    }
    SUBCASE("a layout whose cells are out of order, cut, or empty")
    {
        auto layout = [](std::uint16_t first_port, std::vector<std::pair<std::uint16_t, std::int32_t>> ports_rules,
                         int cut = 0) {
            std::string plain = "1";
            plain += static_cast<char>(k_proto_tcp);
            Ipv4 pub = 7;
            plain.append(reinterpret_cast<const char*>(&pub), 4);
            plain.append(reinterpret_cast<const char*>(&first_port), 2);
            for (auto [port, rule] : ports_rules) {
                plain.append(reinterpret_cast<const char*>(&port), 2);
                plain.append(reinterpret_cast<const char*>(&port), 2);
                plain.append(reinterpret_cast<const char*>(&rule), 4);
                plain.append(reinterpret_cast<const char*>(&pub), 4);
                plain += '\0';
            }
            plain.resize(plain.size() - static_cast<std::size_t>(cut));
            return seal_cell_block_for_tests(plain);
        };
        const CellBlockKey key{k_proto_tcp, 7, 10};
        CHECK(decode_cell_block(layout(10, {{10, 0}, {10, 1}, {12, 2}}), key).size() == 3);
        CHECK_THROWS_AS(decode_cell_block(layout(10, {{10, 1}, {10, 0}}), key), Error); // rules out of order
        CHECK_THROWS_AS(decode_cell_block(layout(10, {{12, 0}, {10, 1}}), key), Error); // ports out of order
        CHECK_THROWS_AS(decode_cell_block(layout(10, {{11, 0}}), key), Error);          // starts elsewhere
        CHECK_THROWS_AS(decode_cell_block(layout(10, {{10, 0}}, 1), key), Error);      // cut
        CHECK_THROWS_AS(decode_cell_block(layout(10, {}), key), Error);                 // empty
    }
}

TEST_CASE("cell blocks in an index: the column, the cell of a port, and SNAT in a column")
{
    test::IndexFixture f;
    f.snapshot("n", 1600000000, clients(700));
    REQUIRE(f.index({"n"}).indexed == 1);
    // tcp: 700 cells of two ports in one column (3 blocks); udp: one cell of the subnet rule.
    CHECK(f.count("SELECT count(*) FROM cell_block WHERE proto = 6") == 3);
    CHECK(f.count("SELECT count(*) FROM cell_block WHERE proto = 17") == 1);
    CellBlocks cells(f.db());
    const Ipv4 pub = 0xC0000201u; // 192.0.2.1
    CHECK(cells.column(1, k_proto_tcp, pub) == pub);
    CHECK(cells.column(1, k_proto_tcp, pub + 5) == pub); // a column holds the addresses after it
    CHECK_FALSE(cells.column(1, k_proto_tcp, pub - 1));
    for (int client : {0, 255, 256, 511, 699}) {
        std::vector<NatCell> out;
        const auto port = static_cast<std::uint16_t>(1024 + 2 * client + 1);
        cells.cells_at(1, k_proto_tcp, pub, port, out);
        REQUIRE(out.size() == 1);
        CHECK(out[0].position == client);
        CHECK(out[0].port_lo == port - 1);
    }
    std::vector<NatCell> below;
    cells.cells_at(1, k_proto_tcp, pub, 1000, below); // below every block
    CHECK(below.empty());
    std::vector<NatCell> above;
    cells.cells_at(1, k_proto_tcp, pub, 65000, above); // the last cell, which ends before the port
    REQUIRE(above.size() == 1);
    CHECK(above[0].port_hi < 65000);
    CHECK(cells.has_snat(1, k_proto_tcp, pub, pub));
    CHECK_FALSE(cells.has_snat(1, k_proto_tcp, pub, pub + 1)); // past every SNAT address
    CHECK(cells.has_snat(1, k_proto_udp, pub, pub));
    SUBCASE("a row whose summary claims an SNAT cell its body lacks is damage")
    {
        f.db().exec("UPDATE cell_block SET snat_pub_hi = 4294967295 WHERE proto = 6");
        CHECK_THROWS_AS(cells.has_snat(1, k_proto_tcp, pub, pub + 1), IndexDamaged);
    }
    SUBCASE("a row moved to another port is damage")
    {
        f.db().exec("UPDATE cell_block SET port_lo = port_lo + 1 WHERE proto = 6 AND port_lo > 1024");
        std::vector<NatCell> out;
        CHECK_THROWS_AS(cells.cells_at(1, k_proto_tcp, pub, 1700, out), IndexDamaged);
    }
}
