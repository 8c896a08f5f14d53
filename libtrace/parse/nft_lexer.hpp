#pragma once
// The tokens of an nftables file as `nft -f` reads it and `nft list ruleset`
// prints it: words, quoted strings, braces, statement ends. Addresses, port
// ranges and prefixes stay one word ("192.0.2.1:65280-65535", "fc00::/7",
// "[2001:db8::1]:1024-2047"); a spaced ":" or "." (map elements, concatenations)
// is a word of its own. `$NAME` is replaced by what `define NAME = ...` said.
#include "parse/ruleset.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

enum class NftTokenKind {
    word,   ///< anything else: keywords, numbers, addresses, @set, -, :, .
    string, ///< "..." (text without the quotes)
    open,   ///< {
    close,  ///< }
    comma,  ///< ,
    end,    ///< ; or a line end: the end of a statement outside a set literal
};

struct NftToken {
    NftTokenKind kind = NftTokenKind::word;
    std::string text;
    int line = 0;           ///< 1-based; for a $NAME's tokens, the line of the reference
    std::size_t offset = 0; ///< in the file; for a $NAME's tokens, the reference's
    std::size_t length = 0; ///< in the file (of the reference, for a $NAME's tokens)

    bool is(std::string_view word) const { return kind == NftTokenKind::word && text == word; }
};

struct NftTokens {
    std::vector<NftToken> tokens;
    std::vector<Diagnostic> warnings;
    /// Set when `nft -f` would refuse the file for its tokens (an unclosed
    /// string or brace, an undefined $NAME): the first fault.
    std::optional<Diagnostic> unusable;
};

/// Splits `content` into tokens, applying `define`/`redefine`/`undefine`
/// (which produce no tokens) and `$NAME` references. Comments (`#` to the
/// line end) and `\` line continuations are dropped. Never throws on bad content.
NftTokens lex_nft(std::string_view content);

} // namespace natfw
