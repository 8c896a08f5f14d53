#include "util/ipv4_set.hpp"

#include <doctest/doctest.h>

#include <bitset>
#include <ostream>
#include <random>

using namespace natfw;

namespace {

// Small universes at both ends of the address space, where merging and the
// wrap at 255.255.255.255 go wrong if anything does.
constexpr Ipv4 k_width = 48;

Ipv4 address(std::size_t i) { return i < k_width / 2 ? static_cast<Ipv4>(i) : 0xFFFFFFFFu - static_cast<Ipv4>(k_width - 1 - i); }

using Bits = std::bitset<k_width>;

Bits bits_of(const Ipv4Set& s)
{
    Bits b;
    for (std::size_t i = 0; i < k_width; ++i)
        b[i] = Ipv4Set(Ipv4Range{address(i), address(i)}).intersects(s);
    return b;
}

/// A set of random ranges, and the same set as bits.
std::pair<Ipv4Set, Bits> random_set(std::mt19937& rng)
{
    Ipv4Set s;
    Bits b;
    std::uniform_int_distribution<std::size_t> at(0, k_width - 1), count(0, 4);
    for (std::size_t n = count(rng); n > 0; --n) {
        std::size_t i = at(rng), j = at(rng);
        if (i > j)
            std::swap(i, j);
        if (i < k_width / 2 && j >= k_width / 2)
            j = i; // a range across the gap would hold addresses the bits do not model
        s.add({address(i), address(j)});
        for (std::size_t k = i; k <= j; ++k)
            b[k] = true;
    }
    return {s, b};
}

} // namespace

TEST_CASE("Ipv4Set agrees with a set of bits under add, minus, intersect and intersects")
{
    std::mt19937 rng(14);
    for (int round = 0; round < 3000; ++round) {
        auto [a, abits] = random_set(rng);
        auto [b, bbits] = random_set(rng);
        REQUIRE(bits_of(a) == abits);
        CHECK(bits_of(a.minus(b)) == (abits & ~bbits));
        CHECK(bits_of(a.intersect(b)) == (abits & bbits));
        CHECK(a.intersects(b) == (abits & bbits).any());
        Ipv4Set u = a;
        u.add(b);
        CHECK(bits_of(u) == (abits | bbits));
        // Stored ranges stay sorted, disjoint and not adjacent: equal sets compare equal.
        Ipv4Set v = b;
        v.add(a);
        CHECK(u == v);
        const auto ranges = u.ranges();
        for (std::size_t k = 1; k < ranges.size(); ++k)
            CHECK(std::uint64_t{ranges[k - 1].hi} + 1 < ranges[k].lo);
    }
}

TEST_CASE("Ipv4Set: the whole space, its complement and describe")
{
    Ipv4Set all(Ipv4Range{0, 0xFFFFFFFFu});
    CHECK(all.size() == (std::uint64_t{1} << 32));
    CHECK(Ipv4Set::complement_of({0, 0xFFFFFFFFu}).empty());
    auto rest = Ipv4Set::complement_of({0x0A000000u, 0x0A0000FFu});
    CHECK(rest.ranges().size() == 2);
    CHECK(rest.intersect(Ipv4Set(Ipv4Range{0x0A000000u, 0x0A0000FFu})).empty());
    Ipv4Set s(Ipv4Range{0x0A000002u, 0x0A000002u});
    s.add({0x0A000004u, 0x0A000009u});
    CHECK(s.describe() == "10.0.0.2, 10.0.0.4-10.0.0.9");
    s.add({0x0A000003u, 0x0A000003u});
    CHECK(s.ranges().size() == 1);
    CHECK(s.hull().lo == 0x0A000002u);
    CHECK(s.hull().hi == 0x0A000009u);
}
