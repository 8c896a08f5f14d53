#pragma once
// What a snapshot's *nat table says, as parsed: the rules with the fields a
// lookup needs, plus everything noticed on the way.
#include "util/ipv4.hpp"
#include "util/ipv6.hpp"
#include "util/port.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// Which of a node's two timelines a ruleset belongs to: rules.v4 files and
/// the ip/inet nft tables are IPv4's, rules.v6 files and ip6/inet tables IPv6's.
enum class Family { ipv4, ipv6 };

/// The packets' source a rule applies to (`-s`, or `-m iprange --src-range`).
struct SourceMatch {
    Ipv4Range range{0, 0xFFFFFFFFu};
    bool negated = false;
    /// "0.0.0.0/0" when the rule has no source condition.
    std::string describe() const;
    bool single_host() const { return !negated && range.single(); }
    friend bool operator==(const SourceMatch&, const SourceMatch&) = default;
};

struct Rule {
    int position = 0; ///< evaluation order across the table, from 0
    int line = 0;     ///< 1-based line in the snapshot file
    std::string chain;
    std::string target; ///< SNAT, MASQUERADE, DNAT, a user chain, ...
    bool goto_chain = false; ///< `-g CHAIN`: no return to this chain afterwards
    /// Lower-case protocol name (`tcp`), or empty for any protocol.
    std::string proto;
    bool proto_negated = false;
    SourceMatch source;
    /// SNAT/DNAT address or address range (`--to-source A[-B]`).
    std::optional<Ipv4Range> to_addresses;
    /// Port block of SNAT/DNAT (`:lo-hi`) or MASQUERADE/REDIRECT `--to-ports`.
    std::optional<PortRange> to_ports;
    /// Conditions a lookup cannot evaluate (`-o eth0`, `-d ...`, an unknown
    /// match), in iptables syntax; the rule may or may not match.
    std::vector<std::string> conditions;
    std::string text; ///< the line as in the file, without its line end
    /// A rule of the IPv6 timeline keeps its addresses here, as the IPv4
    /// fields cannot hold them (`source.negated` still says `!`).
    Ipv6Range source6;
    std::optional<Ipv6Range> to_addresses6;
};

/// The rule's source as text (`!` included), in the family of its ruleset.
std::string describe_source(const Rule& rule, Family family);

/// nftables' `accept` as a Rule's target: unlike iptables' ACCEPT it ends
/// only the base chain it runs under (with the chains that one jumped to);
/// the next nat chain at the same hook still runs (PLATFORM, measured).
inline constexpr std::string_view k_nft_accept = "accept";

/// The condition an nftables DNAT or REDIRECT rule carries when no chain of
/// the prerouting hook reaches it (only the host's own packets meet it):
/// an inbound lookup never takes it.
inline constexpr std::string_view k_nft_not_inbound = "not reached from the prerouting hook";

/// IP protocol numbers of the two protocols NAT port blocks apply to.
constexpr int k_proto_tcp = 6;
constexpr int k_proto_udp = 17;

/// Linux's default net.ipv4.ip_local_port_range: the NAT host's own
/// connections take their source ports from it.
inline constexpr PortRange k_default_ephemeral{32768, 60999};

/// PREROUTING, INPUT, OUTPUT and POSTROUTING: the *nat table's own chains.
bool is_nat_builtin_chain(std::string_view chain);

/// True for the rules that can give a connection its public source address
/// and port: SNAT and MASQUERADE outside PREROUTING/INPUT/OUTPUT.
bool is_source_nat(const Rule& rule);

/// Whether `rule` applies to protocol `proto` (6 or 17).
bool applies_to_protocol(const Rule& rule, int proto);

/// One past the highest position of `rules` (0 for none): the size of a
/// table indexed by position.
std::size_t position_count(const std::vector<Rule>& rules);

enum class DiagnosticKind {
    warning, ///< the parser's: something iptables-restore would warn about or ignore
    check,   ///< a ruleset check: the rules load, but answers from them need care
};

/// "warning" or "check", as the index stores it and messages prefix it.
std::string_view diagnostic_kind_name(DiagnosticKind kind);

struct Diagnostic {
    int line = 0; ///< 0: the file as a whole
    std::string message;
    DiagnosticKind kind = DiagnosticKind::warning;
};

struct ParsedRuleset {
    Family family = Family::ipv4;
    /// iptables: a *nat table. nftables: for IPv4, a nat chain in an ip or inet
    /// table; for IPv6, any ip6 or inet table (a whole ruleset without IPv6
    /// NAT still says that there was none).
    bool has_nat_table = false;
    /// nftables: no IPv4 nat chain, but nat chains of ip6 tables: a file of
    /// the node's IPv6 timeline, which is not indexed yet.
    bool ipv6_only = false;
    std::vector<Rule> nat_rules;
    std::vector<Diagnostic> warnings;
    /// Set when iptables-restore would refuse the *nat table: the first fault.
    std::optional<Diagnostic> unusable;
    /// Set when the file may or may not have been in force: iptables-restore
    /// refuses it as it is (CRLF line ends, nesting too deep for an unnamed
    /// backend), but it may be a faithful copy of a ruleset that loaded.
    std::optional<Diagnostic> doubtful;
    /// The iptables backend the `iptables-save` header names: "nf_tables",
    /// "legacy" (also any header older than 1.8), or empty without a header.
    std::string backend;
};

} // namespace natfw
