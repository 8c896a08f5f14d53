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

/// Edits (insert, delete, replace, swap two neighbours) that turn `a` into
/// `b`: for telling a mistyped keyword from a name meant as given.
inline std::size_t typo_distance(std::string_view a, std::string_view b)
{
    // Optimal string alignment over three rows: the words compared are short.
    std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j)
        previous[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        current[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t replace = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
            current[j] = std::min({previous[j] + 1, current[j - 1] + 1, replace});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                current[j] = std::min(current[j], before[j - 2] + 1);
        }
        before.swap(previous);
        previous.swap(current);
    }
    return previous[b.size()];
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
