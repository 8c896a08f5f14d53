#pragma once
// What first-match evaluation found per (rule position, protocol): a flat
// table, as a ruleset has tens of thousands of entries that every later step
// (cells, checks, packs, the index) looks up by position.
#include "util/ipv4_set.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <utility>
#include <vector>

namespace natfw {

struct RuleReach {
    Ipv4Set source;   ///< the rule's own source (within the jumps that lead to it)
    Ipv4Set reach;    ///< the part no earlier rule takes for certain; empty: shadowed
    std::vector<int> taken_by; ///< lines of earlier rules that take part of `source` (at most a few)
    /// The source as the rule writes it, without the jumps: what a reader of
    /// the index assumes when no reach is stored for the rule.
    Ipv4Set written;
    /// Reached by less than its written source: by earlier rules, or by the
    /// jumps leading to it (a chain entered after other chains took some sources).
    bool partial() const { return !reach.empty() && reach != written; }
};

/// Keyed by (rule position, protocol 6 or 17); iterates in key order.
class ReachMap {
public:
    using Key = std::pair<int, int>;
    using Entry = std::pair<Key, RuleReach>;

    /// Walks the slots in order, skipping the empty ones.
    class const_iterator {
    public:
        using value_type = Entry;
        using reference = const Entry&;
        using pointer = const Entry*;
        using difference_type = std::ptrdiff_t;
        using iterator_category = std::forward_iterator_tag;

        const_iterator() = default;
        reference operator*() const { return m_map->m_entries[m_map->m_slot[m_slot] - 1]; }
        pointer operator->() const { return &**this; }
        const_iterator& operator++()
        {
            ++m_slot;
            skip_empty();
            return *this;
        }
        const_iterator operator++(int)
        {
            auto old = *this;
            ++*this;
            return old;
        }
        friend bool operator==(const const_iterator& a, const const_iterator& b) { return a.m_slot == b.m_slot; }

    private:
        friend class ReachMap;
        const_iterator(const ReachMap* map, std::size_t slot) : m_map(map), m_slot(slot) { skip_empty(); }
        void skip_empty()
        {
            while (m_slot < m_map->m_slot.size() && !m_map->m_slot[m_slot])
                ++m_slot;
        }
        const ReachMap* m_map = nullptr;
        std::size_t m_slot = 0;
    };

    /// The entry of `key`, made empty when there was none.
    RuleReach& operator[](Key key);
    const_iterator find(Key key) const;
    /// The entry of `key`; std::out_of_range when there is none.
    const RuleReach& at(Key key) const;
    bool contains(Key key) const { return find(key) != end(); }

    const_iterator begin() const { return {this, 0}; }
    const_iterator end() const { return {this, m_slot.size()}; }
    std::size_t size() const { return m_entries.size(); }
    bool empty() const { return m_entries.empty(); }
    void clear();

private:
    /// Two slots per position, tcp's first: slot order is key order.
    static std::size_t slot_of(Key key);

    std::vector<Entry> m_entries; ///< in the order they were made
    /// By slot_of(key): 1 + the entry's index in m_entries, or 0.
    std::vector<std::uint32_t> m_slot;
};

} // namespace natfw
