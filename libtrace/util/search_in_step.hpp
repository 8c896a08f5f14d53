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
        // The steps of a branch-free upper bound: the choice is a conditional
        // move, since the keys are random and a branch was mispredicted half of the time.
        while (more) {
            more = false;
            for (std::size_t i = 0; i < searches.size(); ++i) {
                auto& s = m_steps[i];
                if (s.n <= 1)
                    continue;
                const std::size_t half = s.n / 2;
                s.base = s.base[half] <= searches[i].key ? s.base + half : s.base;
                s.n -= half;
                more |= ask(s);
            }
        }
        for (std::size_t i = 0; i < searches.size(); ++i) {
            const auto& s = m_steps[i];
            out[i] = s.n == 0 ? 0
                              : static_cast<std::size_t>(s.base - searches[i].first) +
                                    (*s.base <= searches[i].key ? 1 : 0);
        }
    }

private:
    struct Step {
        const T* base = nullptr;
        std::size_t n = 0; ///< values left from base, the probe among them at n / 2
    };

    /// Asks for the value the search probes next; whether it has more steps to take.
    static bool ask(const Step& s)
    {
        if (s.n >= 1)
            __builtin_prefetch(s.base + s.n / 2);
        return s.n > 1;
    }

    std::vector<Step> m_steps; ///< kept from call to call, with its memory
};

} // namespace natfw
