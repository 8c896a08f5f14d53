#include "store/event_block.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>
#include <zstd.h>

#include <cstring>
#include <memory>

namespace natfw {

namespace {

// Raised when the layout below changes; a block of another version is refused, never misread.
constexpr char k_format = '1';
// zstd's fastest level: the blocks are written at ingest speed and still shrink about 4x.
constexpr int k_level = 1;
// No block this code writes comes near it; a larger claimed size is damage.
constexpr unsigned long long k_max_plain = 64ull << 20;

void put_int(std::string& out, std::int64_t v)
{
    char b[8];
    std::memcpy(b, &v, 8);
    out.append(b, 8);
}

void put_text(std::string& out, const std::string& s)
{
    auto n = static_cast<std::uint32_t>(s.size());
    char b[4];
    std::memcpy(b, &n, 4);
    out.append(b, 4);
    out.append(s);
}

class Reader {
public:
    explicit Reader(std::string_view s) : m_s(s) {}
    bool done() const { return m_at == m_s.size(); }
    char byte() { return take(1)[0]; }
    std::int64_t integer()
    {
        std::int64_t v = 0;
        std::memcpy(&v, take(8).data(), 8);
        return v;
    }
    std::string text() { return std::string(take(length())); }
    void skip(std::size_t n) { take(n); }
    void skip_text() { take(length()); }

private:
    std::uint32_t length()
    {
        std::uint32_t n = 0;
        std::memcpy(&n, take(4).data(), 4);
        return n;
    }
    std::string_view take(std::size_t n)
    {
        if (m_s.size() - m_at < n)
            throw Error("event block is damaged: it ends inside an event");
        auto v = m_s.substr(m_at, n);
        m_at += n;
        return v;
    }
    std::string_view m_s;
    std::size_t m_at = 0;
};

std::string compress(std::string_view plain)
{
    std::string packed(ZSTD_compressBound(plain.size()), '\0');
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    if (!cctx)
        throw Error("cannot compress an event block: out of memory");
    // With a checksum, damage to a block is found when it is read, never taken for other events.
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, k_level);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
    auto n = ZSTD_compress2(cctx.get(), packed.data(), packed.size(), plain.data(), plain.size());
    if (ZSTD_isError(n))
        throw Error(fmt::format("cannot compress an event block: {}", ZSTD_getErrorName(n)));
    packed.resize(n);
    return packed;
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
        put_int(plain, e.time);
        put_int(plain, e.position);
        for (const auto* s : {&e.user, &e.profile, &e.connection, &e.vpn_proto, &e.ip4, &e.ip6, &e.originating})
            put_text(plain, *s);
    }
    return compress(plain);
}

std::string decompress_event_block(std::string_view data)
{
    auto size = ZSTD_getFrameContentSize(data.data(), data.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > k_max_plain)
        throw Error("event block is damaged: not a compressed block");
    std::string plain(size, '\0');
    auto n = ZSTD_decompress(plain.data(), plain.size(), data.data(), data.size());
    if (ZSTD_isError(n) || n != size)
        throw Error(fmt::format("event block is damaged: {}", ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short"));
    if (plain.empty() || plain.front() != k_format)
        throw Error("event block is damaged or of a newer natfw-index");
    return plain;
}

namespace {

/// Reads the next place of a block into `b`, or only steps over it when `b` is null.
void read_place(Reader& r, BlockEvent* b)
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
    e.time = r.integer();
    e.position = r.integer();
    for (auto* s : {&e.user, &e.profile, &e.connection, &e.vpn_proto, &e.ip4, &e.ip6, &e.originating})
        *s = r.text();
}

} // namespace

std::vector<BlockEvent> decode_event_block(std::string_view data)
{
    auto plain = decompress_event_block(data);
    Reader r(plain);
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
    Reader r(plain);
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
