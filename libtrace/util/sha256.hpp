#pragma once
#include <string>
#include <string_view>

namespace natfw {

/// Lower-case hex SHA-256 of `data` (GNU Nettle, SHA-NI where the CPU has it).
std::string sha256_hex(std::string_view data);

} // namespace natfw
