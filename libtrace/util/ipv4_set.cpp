#include "util/ipv4_set.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace natfw {

namespace {
constexpr Ipv4 k_max = 0xFFFFFFFFu;
}

Ipv4Set Ipv4Set::complement_of(Ipv4Range r)
{
    Ipv4Set s;
    if (r.lo > 0)
        s.add({0, r.lo - 1});
    if (r.hi < k_max)
        s.add({r.hi + 1, k_max});
    return s;
}

void Ipv4Set::add(Ipv4Range r)
{
    Ipv4 lo = r.lo, hi = r.hi;
    // Merge with every stored range that overlaps or touches [lo, hi]: from
    // the first that does not end before lo - 1.
    auto first = std::lower_bound(m_ranges.begin(), m_ranges.end(), lo,
                                  [](const Ipv4Range& s, Ipv4 v) { return s.hi != k_max && s.hi + 1 < v; });
    auto last = first;
    for (; last != m_ranges.end() && (hi == k_max || last->lo <= hi + 1); ++last) {
        lo = std::min(lo, last->lo);
        hi = std::max(hi, last->hi);
    }
    if (first == last) {
        m_ranges.insert(first, {lo, hi});
    } else {
        *first = {lo, hi};
        m_ranges.erase(first + 1, last);
    }
}

void Ipv4Set::add(const Ipv4Set& other)
{
    for (const auto& r : other.m_ranges)
        add(r);
}

std::pair<Ipv4Set::Ranges::const_iterator, Ipv4Set::Ranges::const_iterator> Ipv4Set::overlapping(Ipv4 lo,
                                                                                                 Ipv4 hi) const
{
    auto first = std::lower_bound(m_ranges.begin(), m_ranges.end(), lo,
                                  [](const Ipv4Range& s, Ipv4 v) { return s.hi < v; });
    auto last = std::upper_bound(first, m_ranges.end(), hi, [](Ipv4 v, const Ipv4Range& s) { return v < s.lo; });
    return {first, last};
}

Ipv4Set Ipv4Set::minus(const Ipv4Set& other) const
{
    Ipv4Set out;
    for (const auto& [lo, hi] : m_ranges) {
        std::uint64_t cur = lo; // next address not yet decided
        auto [first, last] = other.overlapping(lo, hi);
        for (auto it = first; it != last; ++it) {
            if (it->lo > cur)
                out.m_ranges.push_back({static_cast<Ipv4>(cur), it->lo - 1});
            cur = std::uint64_t{it->hi} + 1;
        }
        if (cur <= hi)
            out.m_ranges.push_back({static_cast<Ipv4>(cur), hi});
    }
    return out;
}

Ipv4Set Ipv4Set::intersect(const Ipv4Set& other) const
{
    Ipv4Set out;
    for (const auto& [lo, hi] : m_ranges) {
        auto [first, last] = other.overlapping(lo, hi);
        for (auto it = first; it != last; ++it)
            out.add({std::max(lo, it->lo), std::min(hi, it->hi)});
    }
    return out;
}

bool Ipv4Set::intersects(const Ipv4Set& other) const
{
    for (const auto& [lo, hi] : m_ranges) {
        auto [first, last] = other.overlapping(lo, hi);
        if (first != last)
            return true;
    }
    return false;
}

std::uint64_t Ipv4Set::size() const
{
    std::uint64_t n = 0;
    for (const auto& [lo, hi] : m_ranges)
        n += std::uint64_t{hi} - lo + 1;
    return n;
}

Ipv4Range Ipv4Set::hull() const
{
    return {m_ranges.front().lo, m_ranges.back().hi};
}

std::vector<Ipv4Range> Ipv4Set::ranges() const
{
    return {m_ranges.begin(), m_ranges.end()};
}

std::string Ipv4Set::describe() const
{
    std::string out;
    for (const auto& [lo, hi] : m_ranges) {
        if (!out.empty())
            out += ", ";
        out += format_ipv4_range({lo, hi});
    }
    return out;
}

} // namespace natfw
