#pragma once
// Many binary searches at once, one step of each in turn. A batch asks, for
// each row, where a time falls among the session starts of an address, and
// its rows name addresses in random order, so each step of a search waited
// for memory the processor's caches did not hold. Here every search of a
// group takes its step before any takes the next, and asks for the memory of
// its next probe as it goes: the waits overlap, and only the cache lines a
// search probes are fetched (fetching each address's starts whole asked for
// six lines per row on the bench's log, 45 starts, where a search of 45
// probes three or four).
#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

namespace natfw {

/// One search: `size` values in ascending order from `first`, and its key.
template <typename T>
struct SortedSearch {
    const T* first = nullptr;
    std::size_t size = 0;
    T key{};
};

/// A branch-free upper bound, a step at a time: the choice of each step is a
/// conditional move, since the keys are random and a branch was mispredicted
/// half of the time (most of a batch's search cost in perf).
template <typename T>
struct UpperBoundSteps {
    const T* base = nullptr;
    std::size_t n = 0; ///< values left from base, the probe among them at n / 2

    /// Whether a step is left to take.
    bool more() const { return n > 1; }
    void step(const T& key)
    {
        const std::size_t half = n / 2;
        base = base[half] <= key ? base + half : base;
        n -= half;
    }
    /// Once no step is left: how many values from `first` are at most `key`.
    std::size_t place(const T* first, const T& key) const
    {
        return n == 0 ? 0 : static_cast<std::size_t>(base - first) + (*base <= key ? 1 : 0);
    }
};

/// std::upper_bound's distance from `first`, without its branches.
template <typename T>
std::size_t branch_free_upper_bound(const T* first, std::size_t size, const T& key)
{
    UpperBoundSteps<T> s{first, size};
    while (s.more())
        s.step(key);
    return s.place(first, key);
}

template <typename T>
class SearchInStep {
public:
    /// For each search, how many of its values are at most its key (what
    /// std::upper_bound's distance from `first` is), into `out` (as many).
    void upper_bounds(std::span<const SortedSearch<T>> searches, std::span<std::size_t> out)
    {
        if (out.size() != searches.size())
            throw std::logic_error("SearchInStep: not as many answers as searches");
        m_steps.resize(searches.size());
        bool more = false;
        for (std::size_t i = 0; i < searches.size(); ++i) {
            m_steps[i] = {searches[i].first, searches[i].size};
            more |= ask(m_steps[i]);
        }
        while (more) {
            more = false;
            for (std::size_t i = 0; i < searches.size(); ++i) {
                auto& s = m_steps[i];
                if (!s.more())
                    continue;
                s.step(searches[i].key);
                more |= ask(s);
            }
        }
        for (std::size_t i = 0; i < searches.size(); ++i)
            out[i] = m_steps[i].place(searches[i].first, searches[i].key);
    }

private:
    /// Asks for the value the search probes next; whether it has more steps to take.
    static bool ask(const UpperBoundSteps<T>& s)
    {
        if (s.n >= 1)
            __builtin_prefetch(s.base + s.n / 2);
        return s.more();
    }

    std::vector<UpperBoundSteps<T>> m_steps; ///< kept from call to call, with its memory
};

} // namespace natfw
