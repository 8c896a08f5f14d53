#include "store/event_block.hpp"

#include "util/errors.hpp"
#include "util/byte_record.hpp"
#include "util/zstd_frame.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>


namespace natfw {

namespace {

// Raised when the layout below changes; a block of another version is refused, never misread.
constexpr char k_format = '2';
// Before schema 18: the whole block in one frame, this byte first inside it.
constexpr char k_one_frame_format = '1';
// zstd's fastest level: the blocks are written at ingest speed and still shrink about 4x.
constexpr int k_level = 1;
// No block this code writes comes near it; a larger claimed size is damage.
constexpr std::size_t k_max_plain = std::size_t{64} << 20;
constexpr const char* k_what = "event block";
constexpr const char* k_cut = "event block is damaged: it ends inside an event";
constexpr const char* k_foreign = "event block is damaged or of a newer natfw-index";

/// A block of format '2' whose frames hold `frames`.
std::string seal(const std::vector<std::string>& frames, std::uint16_t frame_events, std::uint32_t places)
{
    std::string out(1, k_format);
    put_value(out, frame_events);
    put_value(out, places);
    std::string body;
    ZstdCompressor zip;
    for (const auto& f : frames) {
        body += zip.compress(f, k_level, "an event block");
        put_value(out, static_cast<std::uint32_t>(body.size()));
    }
    return out + body;
}

void put_place(std::string& plain, const BlockEvent& b)
{
    const auto& e = b.event;
    if (b.forgotten) {
        plain.push_back('X');
        return;
    }
    plain.push_back(e.kind == EventKind::connect ? 'C' : 'D');
    put_value<std::int64_t>(plain, e.time);
    put_value<std::int64_t>(plain, e.position);
    for (const auto* s : {&e.user, &e.profile, &e.connection, &e.vpn_proto, &e.ip4, &e.ip6, &e.originating})
        put_text(plain, *s);
}

/// Reads the next place of a block into `b`, or only steps over it when `b` is null.
void read_place(ByteReader& r, BlockEvent* b)
{
    char kind = r.byte();
    if (kind == 'X') {
        if (b)
            b->forgotten = true;
        return;
    }
    if (kind != 'C' && kind != 'D')
        throw Error("event block is damaged: unknown event kind");
    if (!b) {
        r.skip(16);
        for (int i = 0; i < 7; ++i)
            r.skip_text();
        return;
    }
    auto& e = b->event;
    e.kind = kind == 'C' ? EventKind::connect : EventKind::disconnect;
    e.time = r.value<std::int64_t>();
    e.position = r.value<std::int64_t>();
    for (auto* s : {&e.user, &e.profile, &e.connection, &e.vpn_proto, &e.ip4, &e.ip6, &e.originating})
        *s = r.text();
}

bool one_frame_block(std::string_view data)
{
    return data.size() >= 4 && data.substr(0, 4) == std::string_view("\x28\xb5\x2f\xfd", 4); // zstd's magic
}

/// What a block's header says, its frames not yet read.
struct Layout {
    std::size_t frame_events = 0, places = 0, frames = 0;
    std::string_view ends; ///< where each frame ends in `body`: u32 each
    std::string_view body;

    /// Where frame `k` ends in `body`, as the header says.
    std::size_t end_of(std::size_t k) const
    {
        std::uint32_t v = 0;
        std::memcpy(&v, ends.data() + 4 * k, 4);
        return std::size_t{v};
    }
    /// Frame `i`'s bytes; throws Error when the header's table does not fit the block.
    std::string_view frame(std::size_t i) const
    {
        const auto from = i == 0 ? 0 : end_of(i - 1), to = end_of(i);
        if (from > to || to > body.size())
            throw Error("event block is damaged: its frames are not where its header says");
        return body.substr(from, to - from);
    }
    std::size_t places_in(std::size_t i) const { return std::min(frame_events, places - i * frame_events); }
};

Layout read_layout(std::string_view data)
{
    ByteReader r(data, "event block is damaged: it ends inside its header");
    if (r.done() || r.byte() != k_format)
        throw Error(k_foreign);
    Layout l;
    l.frame_events = r.value<std::uint16_t>();
    l.places = r.value<std::uint32_t>();
    if (l.places > static_cast<std::size_t>(k_block_events))
        throw Error("event block is damaged: more events than a block holds");
    if (l.places > 0 && l.frame_events == 0)
        throw Error("event block is damaged: its header gives frames of no events");
    l.frames = l.places == 0 ? 0 : (l.places + l.frame_events - 1) / l.frame_events;
    l.ends = r.bytes(4 * l.frames);
    l.body = data.substr(data.size() - r.left());
    return l;
}

} // namespace

std::string seal_event_block_for_tests(const std::vector<std::string>& frames, std::uint16_t frame_events,
                                       std::uint32_t places)
{
    return seal(frames, frame_events, places);
}

std::string seal_old_event_block_for_tests(std::string_view plain)
{
    return zstd_compress(plain, k_level, "an event block");
}

std::string encode_event_block(const std::vector<BlockEvent>& events)
{
    std::vector<std::string> frames;
    for (std::size_t i = 0; i < events.size(); i += k_frame_events) {
        auto& plain = frames.emplace_back();
        plain.reserve(128 * k_frame_events); // a portal's event takes about 100 bytes
        for (std::size_t k = i; k < std::min(events.size(), i + k_frame_events); ++k)
            put_place(plain, events[k]);
    }
    return seal(frames, k_frame_events, static_cast<std::uint32_t>(events.size()));
}

std::vector<BlockEvent> decode_event_block(std::string_view data)
{
    std::vector<BlockEvent> out;
    ZstdDecompressor unzip;
    std::string plain;
    if (one_frame_block(data)) {
        unzip.decompress_block(data, k_one_frame_format, k_max_plain, k_what, plain);
        ByteReader r(plain, k_cut);
        r.byte(); // the format, checked
        while (!r.done()) {
            read_place(r, &out.emplace_back());
            if (out.size() > static_cast<std::size_t>(k_block_events))
                throw Error("event block is damaged: more events than a block holds");
        }
        return out;
    }
    const auto layout = read_layout(data);
    out.reserve(layout.places);
    for (std::size_t i = 0; i < layout.frames; ++i) {
        unzip.decompress(layout.frame(i), k_max_plain, k_what, plain);
        ByteReader r(plain, k_cut);
        for (std::size_t k = 0; k < layout.places_in(i); ++k)
            read_place(r, &out.emplace_back());
        if (!r.done())
            throw Error("event block is damaged: a frame holds more than its header says");
    }
    if ((layout.frames == 0 ? 0 : layout.end_of(layout.frames - 1)) != layout.body.size())
        throw Error("event block is damaged: bytes after its last frame");
    return out;
}

void EventBlockPlaces::open(std::string_view data)
{
    m_data.assign(data);
    m_frame = k_no_frame;
}

std::optional<BlockEvent> EventBlockPlaces::at(std::size_t place)
{
    const bool one_frame = one_frame_block(m_data);
    std::size_t frame = 0, skip = place;
    std::optional<Layout> layout;
    if (!one_frame) {
        layout = read_layout(m_data);
        if (place >= layout->places)
            return std::nullopt;
        frame = place / layout->frame_events;
        skip = place % layout->frame_events;
    }
    if (frame != m_frame) {
        m_frame = k_no_frame; // until the frame is whole: damage leaves nothing half read behind
        if (one_frame)
            m_unzip.decompress_block(m_data, k_one_frame_format, k_max_plain, k_what, m_plain);
        else
            m_unzip.decompress(layout->frame(frame), k_max_plain, k_what, m_plain);
        m_frame = frame;
    }
    ByteReader r(m_plain, k_cut);
    if (one_frame)
        r.byte(); // the format, checked
    for (std::size_t i = 0; i < skip; ++i) {
        if (one_frame && r.done()) // its end is the block's
            return std::nullopt;
        read_place(r, nullptr);
    }
    if (one_frame && r.done())
        return std::nullopt;
    BlockEvent b;
    read_place(r, &b);
    return b;
}

} // namespace natfw
