#pragma once
// Each IPv4 address's sessions, read once for all the workers of a batch:
// complaint batches name the same addresses again and again, and two workers
// reading the same list twice doubled a batch's reads.
#include "query/session_record.hpp"

#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace natfw {

/// A session as a batch keeps it: what a batch row names (user, connection,
/// times), a third of a SessionRecord's size, since a batch keeps every
/// session of each address it meets.
struct KeptSession {
    std::int64_t id = 0;
    std::optional<UnixMicros> connected_at, disconnected_at;
    std::string user, connection;
    char ended_by = 0; ///< 'd' disconnect, 'i' inferred, 0 still open

    bool overlaps(UnixMicros from, UnixMicros to) const { return held_during(connected_at, disconnected_at, from, to); }
};

class SessionCache {
public:
    using List = std::vector<KeptSession>;
    /// At most this many addresses are kept; then the cache starts again
    /// (a batch in time order reads again only what it still uses).
    static constexpr std::size_t k_max_addresses = 1 << 16;

    /// The sessions of `ip`, oldest first: from the cache, or from `load`
    /// (run once per address, outside the lock; other workers wait for it).
    std::shared_ptr<const List> get(std::int64_t ip, const std::function<List()>& load);

private:
    std::mutex m_mutex;
    std::unordered_map<std::int64_t, std::shared_future<std::shared_ptr<const List>>> m_lists;
};

} // namespace natfw
