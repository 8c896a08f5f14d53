#include "util/zstd_frame.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>
#include <zstd.h>

#include <algorithm>
#include <memory>

namespace natfw {

void ZstdCompressor::FreeContext::operator()(ZSTD_CCtx_s* c) const { ZSTD_freeCCtx(c); }

ZstdCompressor::ZstdCompressor() : m_context(ZSTD_createCCtx()) {}

std::string ZstdCompressor::compress(std::string_view plain, int level, std::string_view what)
{
    if (!m_context)
        throw Error(fmt::format("cannot compress {}: out of memory", what));
    // Parameters are kept across frames; only the last frame's state is dropped.
    ZSTD_CCtx_reset(m_context.get(), ZSTD_reset_session_only);
    ZSTD_CCtx_setParameter(m_context.get(), ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(m_context.get(), ZSTD_c_checksumFlag, 1);
    std::string packed(ZSTD_compressBound(plain.size()), '\0');
    auto n = ZSTD_compress2(m_context.get(), packed.data(), packed.size(), plain.data(), plain.size());
    if (ZSTD_isError(n))
        throw Error(fmt::format("cannot compress {}: {}", what, ZSTD_getErrorName(n)));
    packed.resize(n);
    return packed;
}

std::string zstd_compress(std::string_view plain, int level, std::string_view what)
{
    return ZstdCompressor().compress(plain, level, what);
}

void ZstdDecompressor::FreeContext::operator()(ZSTD_DCtx_s* c) const { ZSTD_freeDCtx(c); }

ZstdDecompressor::ZstdDecompressor() : m_context(ZSTD_createDCtx()) {}

void ZstdDecompressor::decompress(std::string_view frame, std::size_t max_plain, std::string_view what,
                                  std::string& plain)
{
    if (!m_context)
        throw Error(fmt::format("cannot decompress {}: out of memory", what));
    // A frame left half read (damaged, so an Error was thrown) must not leave its state to this one.
    ZSTD_DCtx_reset(m_context.get(), ZSTD_reset_session_only);
    auto size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > max_plain)
        throw Error(fmt::format("{} is damaged: not a compressed block", what));
    auto damaged = [&](std::string_view why) { return Error(fmt::format("{} is damaged: {}", what, why)); };
    // The size a frame claims is only a claim: memory grows with what it
    // really gives (a damaged 17-byte frame claimed 543 MB, and zeroing that
    // first took longer than the fuzzer's limit of a second).
    plain.clear();
    plain.resize(std::min<std::size_t>(static_cast<std::size_t>(size), std::size_t{1} << 20));
    ZSTD_inBuffer in{frame.data(), frame.size(), 0};
    std::size_t done = 0;
    for (;;) {
        if (done == plain.size() && plain.size() < size)
            plain.resize(std::min<std::size_t>(static_cast<std::size_t>(size), plain.size() * 2));
        ZSTD_outBuffer out{plain.data(), plain.size(), done};
        const auto read_before = in.pos;
        auto left = ZSTD_decompressStream(m_context.get(), &out, &in);
        if (ZSTD_isError(left))
            throw damaged(ZSTD_getErrorName(left));
        const bool progress = out.pos != done || in.pos != read_before;
        done = out.pos;
        if (left == 0)
            break;
        if (!progress)
            throw damaged("short");
    }
    if (done != size || in.pos != in.size)
        throw damaged("short");
}

std::string zstd_decompress(std::string_view frame, std::size_t max_plain, std::string_view what)
{
    std::string plain;
    ZstdDecompressor().decompress(frame, max_plain, what, plain);
    return plain;
}

void ZstdDecompressor::decompress_block(std::string_view frame, char format, std::size_t max_plain,
                                        std::string_view what, std::string& plain)
{
    decompress(frame, max_plain, what, plain);
    if (plain.empty() || plain.front() != format)
        throw Error(fmt::format("{} is damaged or of a newer natfw-index", what));
}

std::string zstd_decompress_block(std::string_view frame, char format, std::size_t max_plain, std::string_view what)
{
    std::string plain;
    ZstdDecompressor().decompress_block(frame, format, max_plain, what, plain);
    return plain;
}

} // namespace natfw
