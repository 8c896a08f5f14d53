#pragma once
#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

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

/// `text` in ASCII lower case (keywords typed in any case).
inline std::string to_lower(std::string_view text)
{
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

/// The lines of `s` joined with '\n' (as stored conditions are); none for "".
inline std::vector<std::string> split_lines(std::string_view s)
{
    std::vector<std::string> out;
    while (!s.empty()) {
        auto end = s.find('\n');
        out.emplace_back(s.substr(0, end));
        s = end == std::string_view::npos ? std::string_view{} : s.substr(end + 1);
    }
    return out;
}

} // namespace natfw
