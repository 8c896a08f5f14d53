#include "query/session_cache.hpp"

namespace natfw {

std::shared_ptr<const SessionCache::List> SessionCache::get(std::int64_t ip, const std::function<List()>& load)
{
    std::unique_lock lock(m_mutex);
    if (auto it = m_lists.find(ip); it != m_lists.end()) {
        auto pending = it->second;
        lock.unlock(); // wait for the worker that reads it, not for the lock
        return pending.get();
    }
    if (m_lists.size() >= k_max_addresses)
        m_lists.clear(); // lists in use stay alive with their holders
    std::promise<std::shared_ptr<const List>> promise;
    m_lists.emplace(ip, promise.get_future().share());
    lock.unlock();
    try {
        auto list = std::make_shared<const List>(load());
        promise.set_value(list);
        return list;
    } catch (...) {
        promise.set_exception(std::current_exception()); // the waiting workers fail as this one does
        lock.lock();
        m_lists.erase(ip);
        throw;
    }
}

} // namespace natfw
