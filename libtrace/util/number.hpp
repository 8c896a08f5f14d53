#pragma once
// The one reader of decimal numbers in what people and files write: digits
// only (no sign, no spaces, no trailing text), no overflow.
#include <charconv>
#include <concepts>
#include <optional>
#include <string_view>

namespace natfw {

/// `text` as a number in [min, max], or nullopt.
template <std::integral T>
std::optional<T> parse_decimal(std::string_view text, T min, T max)
{
    if (text.empty() || text.front() < '0' || text.front() > '9')
        return std::nullopt;
    T value{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
        return std::nullopt;
    return value;
}

} // namespace natfw
