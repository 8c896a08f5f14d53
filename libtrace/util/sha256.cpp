#include "util/sha256.hpp"

#include <nettle/sha2.h>

#include <fmt/format.h>

#include <cstdint>
#include <iterator>

namespace natfw {

std::string sha256_hex(std::string_view data)
{
    sha256_ctx ctx;
    sha256_init(&ctx);
    sha256_update(&ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
    std::uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    std::string hex;
    hex.reserve(2 * sizeof digest);
    for (auto byte : digest)
        fmt::format_to(std::back_inserter(hex), "{:02x}", byte);
    return hex;
}

} // namespace natfw
