#include "util/zstd_frame.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>
#include <zstd.h>

#include <memory>

namespace natfw {

std::string zstd_compress(std::string_view plain, int level, std::string_view what)
{
    std::string packed(ZSTD_compressBound(plain.size()), '\0');
    std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> cctx(ZSTD_createCCtx(), ZSTD_freeCCtx);
    if (!cctx)
        throw Error(fmt::format("cannot compress {}: out of memory", what));
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1);
    auto n = ZSTD_compress2(cctx.get(), packed.data(), packed.size(), plain.data(), plain.size());
    if (ZSTD_isError(n))
        throw Error(fmt::format("cannot compress {}: {}", what, ZSTD_getErrorName(n)));
    packed.resize(n);
    return packed;
}

std::string zstd_decompress(std::string_view frame, std::size_t max_plain, std::string_view what)
{
    auto size = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (size == ZSTD_CONTENTSIZE_ERROR || size == ZSTD_CONTENTSIZE_UNKNOWN || size > max_plain)
        throw Error(fmt::format("{} is damaged: not a compressed block", what));
    std::string plain(size, '\0');
    auto n = ZSTD_decompress(plain.data(), plain.size(), frame.data(), frame.size());
    if (ZSTD_isError(n) || n != size)
        throw Error(fmt::format("{} is damaged: {}", what, ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short"));
    return plain;
}

std::string zstd_decompress_block(std::string_view frame, char format, std::size_t max_plain, std::string_view what)
{
    auto plain = zstd_decompress(frame, max_plain, what);
    if (plain.empty() || plain.front() != format)
        throw Error(fmt::format("{} is damaged or of a newer natfw-index", what));
    return plain;
}

} // namespace natfw
