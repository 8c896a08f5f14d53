#pragma once
#include <string_view>

namespace natfw {

inline constexpr std::string_view k_whitespace = " \t\n\r\f\v";

/// `text` without the characters of `blanks` at either end.
inline std::string_view trim(std::string_view text, std::string_view blanks = k_whitespace)
{
    auto first = text.find_first_not_of(blanks);
    if (first == std::string_view::npos)
        return {};
    return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

} // namespace natfw
