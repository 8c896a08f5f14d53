#pragma once
// One zstd frame holding a value the index stores compressed, with its size
// and a checksum, so that a damaged value is refused when read and never
// taken for other data.
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

struct ZSTD_CCtx_s;
struct ZSTD_DCtx_s;

namespace natfw {

/// `plain` as one frame at compression `level`. `what` names the value in
/// the Error thrown when zstd cannot (out of memory).
std::string zstd_compress(std::string_view plain, int level, std::string_view what);

/// zstd_compress() for one value after another with one zstd context: an
/// event block is up to 32 frames, and with a context made for each frame
/// compressing them took a fifth longer (bench/README.md, twentieth run).
class ZstdCompressor {
public:
    ZstdCompressor();
    std::string compress(std::string_view plain, int level, std::string_view what);

private:
    struct FreeContext {
        void operator()(ZSTD_CCtx_s* c) const;
    };
    std::unique_ptr<ZSTD_CCtx_s, FreeContext> m_context;
};

/// The content of `frame`. Throws Error "`what` is damaged: ..." unless it is
/// one whole frame of at most `max_plain` bytes whose checksum holds.
std::string zstd_decompress(std::string_view frame, std::size_t max_plain, std::string_view what);

/// zstd_decompress() for one frame after another, with one zstd context and
/// into one buffer. An answer that shows evidence decompresses event blocks
/// (now their frames) for each session: an XARF batch of 10,000 reports with sessions took 3.2 to
/// 3.5 s with a fresh context and buffer for each block, 2.8 to 2.9 s with
/// them kept (bench/README.md, nineteenth run).
class ZstdDecompressor {
public:
    ZstdDecompressor();
    /// As zstd_decompress(), into `plain` (its memory is kept for the next frame).
    void decompress(std::string_view frame, std::size_t max_plain, std::string_view what, std::string& plain);
    /// As zstd_decompress_block(), into `plain`.
    void decompress_block(std::string_view frame, char format, std::size_t max_plain, std::string_view what,
                          std::string& plain);

private:
    struct FreeContext {
        void operator()(ZSTD_DCtx_s* c) const;
    };
    std::unique_ptr<ZSTD_DCtx_s, FreeContext> m_context;
};

/// The content of a block stored as a format byte and its layout in one
/// frame, that byte included. Throws Error as zstd_decompress does, or
/// "`what` is damaged or of a newer natfw-index" when it is not `format`.
std::string zstd_decompress_block(std::string_view frame, char format, std::size_t max_plain, std::string_view what);

} // namespace natfw
