#include "util/ipv4_set.hpp"

#include <fmt/format.h>

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
    // Merge with every stored range that overlaps or touches [lo, hi].
    auto it = m_ranges.upper_bound(lo);
    if (it != m_ranges.begin()) {
        auto prev = std::prev(it);
        if (prev->second == k_max || prev->second + 1 >= lo)
            it = prev;
    }
    while (it != m_ranges.end() && (hi == k_max || it->first <= hi + 1)) {
        lo = std::min(lo, it->first);
        hi = std::max(hi, it->second);
        it = m_ranges.erase(it);
    }
    m_ranges.emplace(lo, hi);
}

void Ipv4Set::add(const Ipv4Set& other)
{
    for (const auto& [lo, hi] : other.m_ranges)
        add({lo, hi});
}

std::pair<std::map<Ipv4, Ipv4>::const_iterator, std::map<Ipv4, Ipv4>::const_iterator>
Ipv4Set::overlapping(Ipv4 lo, Ipv4 hi) const
{
    auto first = m_ranges.upper_bound(lo);
    if (first != m_ranges.begin() && std::prev(first)->second >= lo)
        --first;
    auto last = m_ranges.upper_bound(hi);
    return {first, last};
}

Ipv4Set Ipv4Set::minus(const Ipv4Set& other) const
{
    Ipv4Set out;
    for (const auto& [lo, hi] : m_ranges) {
        std::uint64_t cur = lo; // next address not yet decided
        auto [first, last] = other.overlapping(lo, hi);
        for (auto it = first; it != last; ++it) {
            if (it->first > cur)
                out.m_ranges.emplace(static_cast<Ipv4>(cur), it->first - 1);
            cur = std::uint64_t{it->second} + 1;
        }
        if (cur <= hi)
            out.m_ranges.emplace(static_cast<Ipv4>(cur), hi);
    }
    return out;
}

Ipv4Set Ipv4Set::intersect(const Ipv4Set& other) const
{
    Ipv4Set out;
    for (const auto& [lo, hi] : m_ranges) {
        auto [first, last] = other.overlapping(lo, hi);
        for (auto it = first; it != last; ++it)
            out.add({std::max(lo, it->first), std::min(hi, it->second)});
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
    return {m_ranges.begin()->first, std::prev(m_ranges.end())->second};
}

std::vector<Ipv4Range> Ipv4Set::ranges() const
{
    std::vector<Ipv4Range> out;
    for (const auto& [lo, hi] : m_ranges)
        out.push_back({lo, hi});
    return out;
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
