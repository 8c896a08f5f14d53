#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

struct Token {
    std::string text;
    bool quoted = false;
};

/// Splits a line the way iptables-restore does: on blanks, with "..." and
/// '...' grouping and backslash escaping inside quotes. An unterminated quote
/// yields std::nullopt-like failure through `ok`.
struct Tokens {
    std::vector<Token> tokens;
    bool ok = true;
};

Tokens tokenize(std::string_view line);

} // namespace natfw
