#pragma once
// Each IPv4 address's sessions, read once for all the workers of a batch:
// complaint batches name the same addresses again and again, and two workers
// reading the same list twice doubled a batch's reads.
#include "query/session_record.hpp"

#include <cstdint>
#include <functional>
#include <limits>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace natfw {

/// What a batch row names of a session beside its times. The user and
/// connection are spans of their list's `names` text: a batch keeps every
/// session of each address it meets, and two strings per session were most
/// of the memory a list took and most of the allocations reading it made.
struct KeptSession {
    std::int64_t id = 0;
    std::uint32_t user_at = 0, connection_at = 0, user_size = 0, connection_size = 0;
    char ended_by = 0; ///< 'd' disconnect, 'i' inferred, 0 still open
};

/// One address's sessions as a batch keeps them, oldest start first (unknown
/// starts first). The times are arrays of their own: every row searches them,
/// and a search then reads a few cache lines instead of whole records.
struct KeptSessions {
    /// A start before the log and an end still open, as numbers that compare
    /// the way held_during treats the unknowns.
    static constexpr UnixMicros k_unknown_start = std::numeric_limits<UnixMicros>::min();
    static constexpr UnixMicros k_still_open = std::numeric_limits<UnixMicros>::max();

    std::vector<UnixMicros> starts, ends;
    std::vector<KeptSession> named;
    std::string names; ///< every session's user and connection, one after another

    void add(std::int64_t id, std::string_view user, std::string_view connection, char ended_by,
             std::optional<UnixMicros> connected_at, std::optional<UnixMicros> disconnected_at)
    {
        // 32-bit offsets: one address's sessions name far less than 4 GiB.
        KeptSession k{id, static_cast<std::uint32_t>(names.size()), 0, static_cast<std::uint32_t>(user.size()),
                      static_cast<std::uint32_t>(connection.size()), ended_by};
        names += user;
        k.connection_at = static_cast<std::uint32_t>(names.size());
        names += connection;
        starts.push_back(connected_at.value_or(k_unknown_start));
        ends.push_back(disconnected_at.value_or(k_still_open));
        named.push_back(k);
    }
    std::size_t size() const { return named.size(); }
    bool empty() const { return named.empty(); }

    /// Where the arrays are: a batch worker keeps this beside the address, so
    /// that a row reaches the times without first reading the list's header.
    struct View {
        const UnixMicros* starts = nullptr;
        const UnixMicros* ends = nullptr;
        const KeptSession* named = nullptr;
        const char* names = nullptr;
        std::size_t size = 0;

        std::optional<UnixMicros> connected_at(std::size_t i) const
        {
            return starts[i] == k_unknown_start ? std::nullopt : std::optional(starts[i]);
        }
        std::optional<UnixMicros> disconnected_at(std::size_t i) const
        {
            return ends[i] == k_still_open ? std::nullopt : std::optional(ends[i]);
        }
        std::string_view user(std::size_t i) const { return {names + named[i].user_at, named[i].user_size}; }
        std::string_view connection(std::size_t i) const
        {
            return {names + named[i].connection_at, named[i].connection_size};
        }
    };
    View view() const { return {starts.data(), ends.data(), named.data(), names.data(), named.size()}; }
};

class SessionCache {
public:
    using List = KeptSessions;
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
