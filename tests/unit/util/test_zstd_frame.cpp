// Compressed blocks as read from an index that may be damaged: what was
// compressed comes back, and a frame whose claims are false is refused
// without taking the memory it claims.
#include "util/errors.hpp"
#include "util/zstd_frame.hpp"

#include <doctest/doctest.h>

#include <cstring>

using namespace natfw;

TEST_CASE("zstd frame: round trip, empty and large")
{
    for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{5000}, std::size_t{3} << 20}) {
        CAPTURE(n);
        std::string plain(n, 'x');
        for (std::size_t i = 0; i < n; i += 7)
            plain[i] = static_cast<char>('a' + i % 26);
        CHECK(zstd_decompress(zstd_compress(plain, 3, "test"), n, "test") == plain);
    }
    CHECK_THROWS_AS(zstd_decompress(zstd_compress("abc", 3, "test"), 2, "test"), Error); // over the limit
}

TEST_CASE("zstd frame: false sizes, cuts and trailing bytes are refused")
{
    const std::string plain(100000, 'q');
    const auto frame = zstd_compress(plain, 3, "test");
    for (std::size_t cut = 0; cut < frame.size(); ++cut) {
        CAPTURE(cut);
        CHECK_THROWS_AS(zstd_decompress(frame.substr(0, cut), 1 << 30, "test"), Error);
    }
    CHECK_THROWS_AS(zstd_decompress(frame + "x", 1 << 30, "test"), Error);
    // The fuzzer's frame (tests/fuzz/regressions/pack): 17 bytes that claim
    // 543,482,365 bytes. Refused; before, that much was zeroed first.
    const unsigned char claims[] = {0x28, 0xb5, 0x2f, 0xfd, 0xb5, 0x2f, 0xfd, 0xe1, 0x64,
                                    0x20, 0x01, 0x8d, 0x06, 0x00, 0xf2, 0x01, 0x00};
    CHECK_THROWS_AS(zstd_decompress(std::string_view(reinterpret_cast<const char*>(claims), sizeof claims),
                                    std::size_t{1} << 30, "test"),
                    Error);
}

TEST_CASE("zstd frame: one decompressor for frame after frame")
{
    // As EventReader uses it: one context and one buffer for every block it
    // reads, damaged ones among them.
    ZstdDecompressor unzip;
    std::string plain;
    const std::string large(300000, 'l'), small = "a small block";
    unzip.decompress(zstd_compress(large, 3, "test"), 1 << 30, "test", plain);
    CHECK(plain == large);
    unzip.decompress(zstd_compress(small, 3, "test"), 1 << 30, "test", plain);
    CHECK(plain == small); // nothing of the larger one is left behind
    const auto frame = zstd_compress(std::string(100000, 'q') + "end", 3, "test");
    for (std::size_t cut : {frame.size() / 3, frame.size() / 2, frame.size() - 1}) {
        CAPTURE(cut);
        // A frame cut off leaves a context mid-frame; the next must not continue it.
        CHECK_THROWS_AS(unzip.decompress(frame.substr(0, cut), 1 << 30, "test", plain), Error);
        unzip.decompress(zstd_compress(small, 3, "test"), 1 << 30, "test", plain);
        CHECK(plain == small);
    }
    CHECK_THROWS_AS(unzip.decompress_block(zstd_compress("xyz", 3, "test"), 'a', 1 << 30, "test", plain), Error);
    unzip.decompress_block(zstd_compress("abc", 3, "test"), 'a', 1 << 30, "test", plain);
    CHECK(plain == "abc");
}

TEST_CASE("zstd frame: one compressor for value after value")
{
    // As an event block's frames are written: each frame stands alone (it
    // decompresses without the ones before it) and has its checksum.
    ZstdCompressor zip;
    const std::string large(300000, 'l'), small = "a small frame, a small frame";
    const auto first = zip.compress(large, 1, "test");
    const auto second = zip.compress(small, 1, "test");
    CHECK(second == zstd_compress(small, 1, "test")); // nothing of the first carried over
    CHECK(zstd_decompress(first, 1 << 30, "test") == large);
    CHECK(zstd_decompress(second, 1 << 30, "test") == small);
    auto flipped = second;
    flipped.back() = static_cast<char>(flipped.back() ^ 1); // in the checksum
    CHECK_THROWS_AS(zstd_decompress(flipped, 1 << 30, "test"), Error);
    CHECK(zip.compress(small, 3, "test") == zstd_compress(small, 3, "test")); // the level of each call
}
