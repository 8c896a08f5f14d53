#pragma once
// Connection events stored in blocks: up to k_block_events events of one
// source in the session builder's order, written as one compressed value.
// A month of a busy portal is a million events; as rows with their indexes
// they cost more to write than everything else an ingest does, while lookups
// read a session's two or three events by id only.
//
// An event's id is its block's id times k_block_events plus its place in the
// block. Forgetting events (retention) blanks them in place, so the ids of the
// others stay what sessions' evidence says.
#include "parse/connection_event.hpp"
#include "util/zstd_frame.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

inline constexpr std::int64_t k_block_events = 1024;
/// Places per compressed frame of a block (about 3 KB). An XARF batch shows
/// each session's events and decompressed a whole block (73 KB) for each:
/// 1.9x the CPU time of the batch without sessions. Frames of 128, 64 and 32
/// gave 1.3x-1.5x, 1.1x-1.3x and 1.0x-1.3x, for 2%, 7% and 20% more event
/// data (bench/README.md, twentieth run).
inline constexpr std::uint16_t k_frame_events = 32;

inline std::int64_t event_id(std::int64_t block_id, std::size_t place)
{
    return block_id * k_block_events + static_cast<std::int64_t>(place);
}
inline std::int64_t block_of_event(std::int64_t id) { return id / k_block_events; }
inline std::size_t place_of_event(std::int64_t id) { return static_cast<std::size_t>(id % k_block_events); }

/// One place of a block: an event, or a blank where one was forgotten.
struct BlockEvent {
    ConnectionEvent event;
    bool forgotten = false;
};

/// The block's value: a header, then the places in frames of up to
/// k_frame_events, each compressed (zstd) on its own, so that reading one
/// event decompresses its frame, not the whole block.
std::string encode_event_block(const std::vector<BlockEvent>& events);
/// Reads blocks of this layout and of the one before it (one frame for the
/// whole block; schema 18 rewrites them). Throws Error when `data` is not a
/// block this code wrote (damaged or foreign).
std::vector<BlockEvent> decode_event_block(std::string_view data);

/// Places of one block read one at a time, as a lookup reads two or three
/// events of a block of 1,024: only the frame holding the place is
/// decompressed, and the last one is kept for the next place.
class EventBlockPlaces {
public:
    /// Starts on another block's value (copied: a statement's blob does not outlive its row).
    void open(std::string_view data);
    /// The place, or empty past the block's end. Throws Error on damage in
    /// the header or met on the way; what lies beyond the place in its frame
    /// is not checked (`--verify` decodes all).
    std::optional<BlockEvent> at(std::size_t place);

private:
    std::string m_data;
    std::string m_plain;                   ///< a frame, uncompressed
    std::size_t m_frame = k_no_frame;      ///< the frame m_plain holds
    static constexpr std::size_t k_no_frame = static_cast<std::size_t>(-1);
    ZstdDecompressor m_unzip;
};

/// A block whose frames hold `frames` as they are, `frame_events` places
/// each (the last frame may hold fewer), `places` in all: for the fuzz target
/// and unit tests, so that they reach the layout past the compression's own
/// checks.
std::string seal_event_block_for_tests(const std::vector<std::string>& frames, std::uint16_t frame_events,
                                       std::uint32_t places);
/// A block as natfw-index before schema 18 wrote it: `plain` (its format
/// byte first) in one frame.
std::string seal_old_event_block_for_tests(std::string_view plain);

} // namespace natfw
