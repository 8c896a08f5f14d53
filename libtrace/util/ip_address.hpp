#pragma once
// Addresses of either family as text: what sessions store and print.
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <absl/container/flat_hash_map.h>

namespace natfw {

/// `text` as an IPv4 or IPv6 address in canonical form (IPv6 compressed and
/// lower case as RFC 5952 writes it; an IPv4-mapped `::ffff:a.b.c.d` read as
/// the IPv4 address); nullopt when it is neither.
std::optional<std::string> canonical_address(std::string_view text);

/// canonical_address() with the answers for texts met before kept (up to
/// k_max, then it starts again): a log names the same pool addresses line
/// after line, and inet_ntop's formatting of an IPv6 address was most of
/// what reading a line cost.
class CanonicalAddresses {
public:
    /// What canonical_address(text) gives; valid until the next call.
    const std::optional<std::string>& operator()(std::string_view text);

private:
    static constexpr std::size_t k_max = 1 << 16; // a /16 pool of each family and their clients
    struct Hash {
        using is_transparent = void; // looked up by string_view (Debian's Abseil has its own string_view)
        std::size_t operator()(std::string_view s) const { return absl::Hash<std::string_view>{}(s); }
    };
    /// Abseil's flat table: a third less time than std::unordered_map's on
    /// the addresses of a log of a million lines.
    absl::flat_hash_map<std::string, std::optional<std::string>, Hash, std::equal_to<>> m_known;
};

/// Whether `text` is a unique local (fc00::/7) or link-local (fe80::/10)
/// IPv6 address: never one that NAT66 maps clients to.
bool is_ipv6_local(std::string_view text);

/// Whether a canonical address is IPv6.
inline bool is_ipv6_text(std::string_view canonical) { return canonical.find(':') != std::string_view::npos; }

} // namespace natfw
