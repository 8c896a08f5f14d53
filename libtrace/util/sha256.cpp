#include "util/sha256.hpp"

#include <openssl/evp.h>

#include <fmt/format.h>

#include <stdexcept>

namespace natfw {

std::string sha256_hex(std::string_view data)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(data.data(), data.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 computation failed in libcrypto");
    std::string hex;
    hex.reserve(2 * length);
    for (unsigned i = 0; i < length; ++i)
        fmt::format_to(std::back_inserter(hex), "{:02x}", digest[i]);
    return hex;
}

} // namespace natfw
