#pragma once
// The storage of an Ipv4Set: sorted ranges, the first two kept inline.
// Indexing builds millions of sets (every rule's source, what reaches it,
// what it takes), nearly all of one or two ranges; a heap block for each was
// a fifth of indexing in malloc and free.
#include "util/ipv4.hpp"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace natfw {

class SmallRanges {
public:
    using value_type = Ipv4Range;
    using iterator = Ipv4Range*;
    using const_iterator = const Ipv4Range*;

    std::size_t size() const { return m_spilled ? m_heap.size() : m_size; }
    bool empty() const { return size() == 0; }
    iterator begin() { return m_spilled ? m_heap.data() : m_inline.data(); }
    iterator end() { return begin() + size(); }
    const_iterator begin() const { return m_spilled ? m_heap.data() : m_inline.data(); }
    const_iterator end() const { return begin() + size(); }
    const Ipv4Range& front() const { return *begin(); }
    const Ipv4Range& back() const { return *(end() - 1); }

    void push_back(Ipv4Range r) { insert(end(), r); }

    iterator insert(iterator at, Ipv4Range r)
    {
        const auto offset = static_cast<std::size_t>(at - begin());
        if (!m_spilled && m_size < m_inline.size()) {
            std::copy_backward(m_inline.begin() + offset, m_inline.begin() + m_size, m_inline.begin() + m_size + 1);
            m_inline[offset] = r;
            ++m_size;
            return m_inline.data() + offset;
        }
        spill();
        auto it = m_heap.insert(m_heap.begin() + static_cast<std::ptrdiff_t>(offset), r);
        return m_heap.data() + (it - m_heap.begin());
    }

    void erase(iterator first, iterator last)
    {
        if (m_spilled) {
            const auto from = first - m_heap.data(), to = last - m_heap.data();
            m_heap.erase(m_heap.begin() + from, m_heap.begin() + to);
            return;
        }
        std::copy(last, end(), first);
        m_size -= static_cast<std::uint32_t>(last - first);
    }

    friend bool operator==(const SmallRanges& a, const SmallRanges& b)
    {
        return std::equal(a.begin(), a.end(), b.begin(), b.end());
    }

private:
    void spill()
    {
        if (m_spilled)
            return;
        m_heap.reserve(8);
        m_heap.assign(m_inline.begin(), m_inline.begin() + m_size);
        m_spilled = true;
    }

    std::array<Ipv4Range, 2> m_inline{};
    std::uint32_t m_size = 0; ///< of m_inline, while not spilled
    bool m_spilled = false;   ///< every range is in m_heap
    std::vector<Ipv4Range> m_heap;
};

} // namespace natfw
