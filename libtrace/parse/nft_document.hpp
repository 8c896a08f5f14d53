#pragma once
// The structure of an nftables file: tables, their chains with hook and
// priority, their named sets and maps, and each rule as its tokens with the
// lines it came from. Both shapes are read: the nested blocks that
// `nft list ruleset` prints and admins write (`table ip nat { chain ... }`),
// and the one-line commands (`add rule ip nat postrouting ...`). What the
// rules mean is for the next stage.
#include "parse/nft_lexer.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

struct NftRule {
    int line = 0;     ///< where it starts
    int last_line = 0; ///< where it ends (a rule with a set literal may span lines)
    std::vector<NftToken> tokens;
    std::string text; ///< the file's own text of the rule (lines joined by a space)
};

struct NftChain {
    std::string name;
    int line = 0;
    /// A base chain's `type TYPE hook HOOK priority PRIO`; empty for a regular chain.
    std::string type, hook;
    std::optional<int> priority; ///< the number (`srcnat` is 100, `srcnat - 10` is 90)
    std::string priority_text;   ///< as written
    std::vector<NftRule> rules;

    bool is_base() const { return !hook.empty(); }
};

/// A named set (`set NAME { ... }`) or map (`map NAME { ... }`).
struct NftSet {
    std::string name;
    bool map = false;
    int line = 0;
    std::vector<NftToken> type;  ///< the tokens after `type` or `typeof`
    std::vector<std::string> flags; ///< interval, constant, timeout, ...
    /// Each element as its tokens (`10.0.0.2 : 192.0.2.2 . 4000-4001` is one element of 5 tokens).
    std::vector<std::vector<NftToken>> elements;
};

struct NftTable {
    std::string family; ///< ip, ip6, inet, arp, bridge, netdev
    std::string name;
    int line = 0;
    std::vector<NftChain> chains;
    std::vector<NftSet> sets;

    NftChain* chain(std::string_view chain_name);
    const NftChain* chain(std::string_view chain_name) const;
    NftSet* set(std::string_view set_name);
    const NftSet* set(std::string_view set_name) const;
};

struct NftDocument {
    std::vector<NftTable> tables;
    /// `flush ruleset` came first: the file is the whole ruleset, not an addition to one.
    bool flushes_ruleset = false;
    std::vector<Diagnostic> warnings;
    /// Set when `nft -f` would refuse the file: the first fault (nft loads a file all or nothing).
    std::optional<Diagnostic> unusable;

    NftTable* table(std::string_view family, std::string_view name);
    const NftTable* table(std::string_view family, std::string_view name) const;
};

/// Reads an nftables file. Never throws on bad content.
NftDocument parse_nft_document(std::string_view content);

/// The number a chain priority stands for (`100`, `-10`, `srcnat`, `srcnat - 10`,
/// `dstnat+5`), for tables of family `family`; nullopt when it does not read.
std::optional<int> nft_priority_value(std::string_view text);

} // namespace natfw
