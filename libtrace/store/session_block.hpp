#pragma once
// The IPv4 sessions of one /24 as a batch reads them: per address its
// sessions' times, users and how they ended, stored as one value beside the
// session table they are derived from. A batch row asks "who held this
// address then"; reading each session as a row of the session index was
// most of what sessions added to a batch (58 ns a session, every session of
// every address the batch names), where a block is one read per /24 and a
// copy of its arrays. Only what that question needs is kept: a row whose
// answer lists sessions reads them from the table (connection ids and row
// ids were two thirds of a block's bytes, read by every batch and used by
// few of its rows).
#include "parse/connection_event.hpp"
#include "util/ipv4.hpp"

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

class PageArena;

/// A session as a block keeps it.
struct BlockSession {
    Ipv4 ip = 0;
    std::optional<UnixMicros> connected_at, disconnected_at;
    char ended_by = 0; ///< 'd' disconnect, 'i' inferred, 0 still open
    std::string user;
    friend bool operator==(const BlockSession&, const BlockSession&) = default;
};

/// What a lookup reads of a session once its start was found, made when a
/// block is decoded: 32 bytes, two to a cache line. A batch row asks about
/// addresses in random order, so most of its reads miss the processor's
/// caches; `reach` lets a walk back from the session found stop at once when
/// no earlier session can reach the window, where it read up to eight more.
struct alignas(32) HeldSession {
    UnixMicros end = 0;
    UnixMicros reach = 0; ///< the latest end of this session and every earlier one of its address
    std::uint32_t name_from = 0, name_size = 0; ///< its user's name in the block's `names`
    char ended_by = 0;
};
static_assert(sizeof(HeldSession) == 32);

struct SessionBlock {
    /// A start before the log and an end still open, as numbers that compare
    /// the way held_during treats the unknowns.
    static constexpr UnixMicros k_unknown_start = std::numeric_limits<UnixMicros>::min();
    static constexpr UnixMicros k_still_open = std::numeric_limits<UnixMicros>::max();

    // Views into `memory`, which a decoded block holds in one piece.
    std::uint32_t net = 0;                  ///< the addresses' first 24 bits
    std::span<const std::uint8_t> hosts;    ///< each address's last byte, ascending
    std::span<const std::uint32_t> first;   ///< per host its first session; one more: the session count
    std::span<const UnixMicros> starts;     ///< per session; oldest first within a host
    std::span<const HeldSession> held;      ///< per session, as `starts`
    std::string_view names;
    /// Not stored: per last byte, its first session << 32 | its session count,
    /// so that a row reaches an address's sessions with one memory read.
    std::span<const std::uint64_t> span_of;
    std::shared_ptr<const std::byte[]> memory;

    std::size_t session_count() const { return held.size(); }

    /// One address's sessions: pointers into the block, which outlives the view.
    struct View {
        const UnixMicros* starts = nullptr;
        const HeldSession* at = nullptr;
        const char* names = nullptr;
        std::size_t size = 0;
        UnixMicros start(std::size_t i) const { return starts[i]; }
        UnixMicros end(std::size_t i) const { return at[i].end; }
        char ended_by(std::size_t i) const { return at[i].ended_by; }
        std::string_view user(std::size_t i) const { return {names + at[i].name_from, at[i].name_size}; }
    };
    /// The sessions of `ip` (empty when it held none or is outside the block).
    View of(Ipv4 ip) const
    {
        const std::uint64_t span = ip >> 8 == net ? span_of[ip & 0xFF] : 0;
        const std::size_t from = span >> 32, size = span & 0xFFFFFFFFu;
        if (size == 0)
            return {};
        return {starts.data() + from, held.data() + from, names.data(), size};
    }
    /// Every session back as stored, by address and start.
    std::vector<BlockSession> sessions() const;
};

/// The block of the /24 `net` holding `sessions` (each of that /24; any
/// order: they are sorted by address, start, end, how they ended and user).
std::string encode_session_block(std::uint32_t net, std::vector<BlockSession> sessions);

/// The block a body holds, in memory from `arena` (from the heap when none is
/// given). Throws Error when `body` is not a block this code wrote or was not
/// written for `net` (a damaged row).
SessionBlock decode_session_block(std::string_view body, std::uint32_t net, PageArena* arena = nullptr);
/// The block of a /24 that holds no session.
SessionBlock empty_session_block(std::uint32_t net);

} // namespace natfw
