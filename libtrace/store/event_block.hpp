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

/// The block's value: every field of every event, length-prefixed, compressed (zstd).
std::string encode_event_block(const std::vector<BlockEvent>& events);
/// Throws Error when `data` is not a block this code wrote (damaged or foreign).
std::vector<BlockEvent> decode_event_block(std::string_view data);
/// A block's layout, uncompressed and its format checked; throws Error as decode_event_block does.
std::string decompress_event_block(std::string_view data);
/// The same into `plain`, with `unzip`'s context and `plain`'s memory.
void decompress_event_block(std::string_view data, ZstdDecompressor& unzip, std::string& plain);
/// The event at `place` of an uncompressed block, stepping over the places
/// before it without copying them (a lookup reads two or three events of a
/// block of 1,024); empty past the block's end. Throws Error on damage met
/// on the way; what lies beyond `place` is not checked (`--verify` decodes all).
std::optional<BlockEvent> event_in_block(std::string_view plain, std::size_t place);
/// Compresses `plain` as a block's layout would be: for the fuzz target, so
/// that it reaches the layout past the compression's own checks.
std::string seal_event_block_for_tests(std::string_view plain);

} // namespace natfw
