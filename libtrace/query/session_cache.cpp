#include "query/session_cache.hpp"

namespace natfw {

std::shared_ptr<const SessionBlock> SessionCache::get(std::uint32_t net, const std::function<SessionBlock()>& load)
{
    std::unique_lock lock(m_mutex);
    if (auto it = m_blocks.find(net); it != m_blocks.end()) {
        auto pending = it->second;
        lock.unlock(); // wait for the worker that reads it, not for the lock
        return pending.get();
    }
    if (m_sessions >= k_max_sessions) {
        m_blocks.clear(); // blocks in use stay alive with their holders
        m_sessions = 0;
    }
    std::promise<std::shared_ptr<const SessionBlock>> promise;
    m_blocks.emplace(net, promise.get_future().share());
    lock.unlock();
    try {
        auto block = std::make_shared<const SessionBlock>(load());
        promise.set_value(block);
        lock.lock();
        m_sessions += block->session_count();
        return block;
    } catch (...) {
        promise.set_exception(std::current_exception()); // the waiting workers fail as this one does
        lock.lock();
        m_blocks.erase(net);
        throw;
    }
}

} // namespace natfw
