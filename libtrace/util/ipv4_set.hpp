#pragma once
// A set of IPv4 addresses as disjoint, non-adjacent ranges: what a rule's
// source is once `!` and the rules before it are taken into account.
#include "util/ipv4.hpp"
#include "util/small_ranges.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace natfw {

class Ipv4Set {
public:
    Ipv4Set() = default;
    explicit Ipv4Set(Ipv4Range r) { add(r); }
    /// Every address except those in `r`.
    static Ipv4Set complement_of(Ipv4Range r);

    void add(Ipv4Range r);
    void add(const Ipv4Set& other);
    /// This set without the addresses of `other`.
    Ipv4Set minus(const Ipv4Set& other) const;
    Ipv4Set intersect(const Ipv4Set& other) const;
    bool intersects(const Ipv4Set& other) const;

    bool empty() const { return m_ranges.empty(); }
    std::uint64_t size() const;
    /// The smallest range holding the set (empty set: undefined).
    Ipv4Range hull() const;
    std::vector<Ipv4Range> ranges() const;
    /// `10.0.0.2`, `10.0.0.0/24`, `10.0.0.4-10.0.0.9`, joined by ", ".
    std::string describe() const;
    friend bool operator==(const Ipv4Set&, const Ipv4Set&) = default;

private:
    using Ranges = SmallRanges;
    /// The stored ranges that overlap [lo, hi], as iterators [first, last).
    std::pair<Ranges::const_iterator, Ranges::const_iterator> overlapping(Ipv4 lo, Ipv4 hi) const;
    /// Sorted, disjoint and not adjacent. Not a tree: nearly every set is a
    /// range or two, and indexing builds millions.
    Ranges m_ranges;
};

} // namespace natfw
