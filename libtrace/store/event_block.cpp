#include "store/event_block.hpp"

#include "util/errors.hpp"
#include "util/byte_record.hpp"
#include "util/zstd_frame.hpp"

#include <fmt/format.h>


namespace natfw {

namespace {

// Raised when the layout below changes; a block of another version is refused, never misread.
constexpr char k_format = '1';
// zstd's fastest level: the blocks are written at ingest speed and still shrink about 4x.
constexpr int k_level = 1;
// No block this code writes comes near it; a larger claimed size is damage.
constexpr std::size_t k_max_plain = std::size_t{64} << 20;
constexpr const char* k_cut = "event block is damaged: it ends inside an event";

std::string compress(std::string_view plain)
{
    return zstd_compress(plain, k_level, "an event block");
}

} // namespace

std::string seal_event_block_for_tests(std::string_view plain)
{
    return compress(plain);
}

std::string encode_event_block(const std::vector<BlockEvent>& events)
{
    std::string plain(1, k_format);
    plain.reserve(128 * events.size()); // a portal's event takes about 100 bytes
    for (const auto& b : events) {
        const auto& e = b.event;
        if (b.forgotten) {
            plain.push_back('X');
            continue;
        }
        plain.push_back(e.kind == EventKind::connect ? 'C' : 'D');
        put_value<std::int64_t>(plain, e.time);
        put_value<std::int64_t>(plain, e.position);
        for (const auto* s : {&e.user, &e.profile, &e.connection, &e.vpn_proto, &e.ip4, &e.ip6, &e.originating})
            put_text(plain, *s);
    }
    return compress(plain);
}

std::string decompress_event_block(std::string_view data)
{
    ZstdDecompressor unzip;
    std::string plain;
    decompress_event_block(data, unzip, plain);
    return plain;
}

void decompress_event_block(std::string_view data, ZstdDecompressor& unzip, std::string& plain)
{
    unzip.decompress_block(data, k_format, k_max_plain, "event block", plain);
}

namespace {

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

} // namespace

std::vector<BlockEvent> decode_event_block(std::string_view data)
{
    auto plain = decompress_event_block(data);
    ByteReader r(plain, k_cut);
    r.byte(); // the format, checked
    std::vector<BlockEvent> out;
    while (!r.done()) {
        read_place(r, &out.emplace_back());
        if (out.size() > static_cast<std::size_t>(k_block_events))
            throw Error("event block is damaged: more events than a block holds");
    }
    return out;
}

std::optional<BlockEvent> event_in_block(std::string_view plain, std::size_t place)
{
    ByteReader r(plain, k_cut);
    if (r.done() || r.byte() != k_format)
        throw Error("event block is damaged or of a newer natfw-index");
    for (std::size_t i = 0; i < place; ++i) {
        if (r.done())
            return std::nullopt;
        read_place(r, nullptr);
    }
    if (r.done())
        return std::nullopt;
    BlockEvent b;
    read_place(r, &b);
    return b;
}

} // namespace natfw
