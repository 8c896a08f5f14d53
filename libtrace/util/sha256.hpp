#pragma once
#include <string>
#include <string_view>

namespace natfw {

/// Lower-case hex SHA-256 of `data` (OpenSSL's libcrypto).
std::string sha256_hex(std::string_view data);

} // namespace natfw
