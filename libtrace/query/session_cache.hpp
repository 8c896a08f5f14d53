#pragma once
// Each /24's session block, read once for all the workers of a batch:
// complaint batches name the same addresses again and again, and two workers
// reading the same block twice doubled a batch's reads.
#include "store/session_block.hpp"

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace natfw {

class SessionCache {
public:
    /// Once the blocks kept hold this many sessions (about 21 bytes each),
    /// the cache starts again (a batch in time order reads again only what
    /// it still uses).
    static constexpr std::size_t k_max_sessions = std::size_t{1} << 22;

    /// The block of `net`: from the cache, or from `load` (run once per /24,
    /// outside the lock; other workers wait for it).
    std::shared_ptr<const SessionBlock> get(std::uint32_t net, const std::function<SessionBlock()>& load);

private:
    std::mutex m_mutex;
    std::unordered_map<std::uint32_t, std::shared_future<std::shared_ptr<const SessionBlock>>> m_blocks;
    std::size_t m_sessions = 0; ///< in the blocks kept
};

} // namespace natfw
