#include "parse/nft_rule.hpp"

#include "util/ipv4.hpp"
#include "util/ipv6.hpp"
#include "util/port.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

namespace natfw {

namespace {

/// Where a reading can pick up again after an expression it does not know.
const std::set<std::string, std::less<>> k_known_heads{
    "ip",       "ip6",   "meta",    "tcp",   "udp",   "th",     "oifname", "iifname", "oif",      "iif",
    "ct",       "mark",  "counter", "comment", "log", "limit",  "accept",  "drop",    "reject",   "return",
    "jump",     "goto",  "snat",    "masquerade", "dnat", "redirect", "notrack", "continue", "queue"};

/// The protocol names nft prints for the numbers `meta l4proto` may be given.
std::string protocol_name(std::string_view text)
{
    if (text == "6")
        return "tcp";
    if (text == "17")
        return "udp";
    if (text == "1")
        return "icmp";
    return std::string(text);
}

struct Value {
    bool negated = false;
    std::vector<std::vector<NftToken>> elements;
    std::string text; ///< as written, for conditions and messages
};

/// A source address, prefix or range of either family (the family's field is set).
struct Source {
    SourceMatch v4;
    Ipv6Range v6;
};

struct VmapEntry {
    std::optional<Source> source; ///< `ip saddr vmap`: the key
    std::string condition;             ///< otherwise: the key as a condition
    std::string target;
    bool goto_chain = false;
};

struct MapEntry {
    Source source;
    Ipv4Range to;
    Ipv6Range to6;
    std::optional<PortRange> ports;
    std::string evidence; ///< the element, and where a named map holds it
};

class RuleReader {
public:
    RuleReader(const NftRule& rule, const NftTable& table, std::string_view chain, Family family)
        : m_table(table), m_t(rule.tokens), m_family(family),
          m_own(family == Family::ipv4 ? "ip" : "ip6"), m_other(family == Family::ipv4 ? "ip6" : "ip")
    {
        m_base.line = rule.line;
        m_base.chain = std::string(chain);
        m_base.text = rule.text;
    }

    NftRuleReading read()
    {
        while (m_i < m_t.size() && !m_out.fault && !m_out.other_family)
            expression();
        if (!m_out.fault && !m_out.other_family)
            expand();
        return std::move(m_out);
    }

private:
    // --- tokens --------------------------------------------------------------
    bool more() const { return m_i < m_t.size(); }
    const NftToken* peek(std::size_t ahead = 0) const { return m_i + ahead < m_t.size() ? &m_t[m_i + ahead] : nullptr; }
    bool next_is(std::string_view word, std::size_t ahead = 0) const
    {
        const auto* t = peek(ahead);
        return t && t->is(word);
    }
    std::string take_text() { return more() ? m_t[m_i++].text : std::string(); }
    void fault(std::string why)
    {
        if (!m_out.fault)
            m_out.fault = std::move(why);
    }

    /// `[==|!=] VALUE`: a word, `{ a, b }` or `@set`.
    std::optional<Value> value(std::string_view what)
    {
        Value v;
        if (next_is("==") || next_is("eq"))
            ++m_i;
        else if (next_is("!=") || next_is("ne")) {
            v.negated = true;
            ++m_i;
        }
        if (!more()) {
            fault(fmt::format("{}: a value is missing", what));
            return std::nullopt;
        }
        const auto& t = m_t[m_i];
        if (t.kind == NftTokenKind::open) {
            ++m_i;
            std::vector<NftToken> current;
            int depth = 0;
            v.text = "{ ";
            while (more()) {
                const auto& e = m_t[m_i++];
                if (depth == 0 && (e.kind == NftTokenKind::comma || e.kind == NftTokenKind::close)) {
                    if (!current.empty()) {
                        v.text += (v.elements.empty() ? "" : ", ") + joined(current);
                        v.elements.push_back(std::move(current));
                    }
                    current.clear();
                    if (e.kind == NftTokenKind::close) {
                        v.text += " }";
                        return v;
                    }
                    continue;
                }
                depth += e.kind == NftTokenKind::open ? 1 : e.kind == NftTokenKind::close ? -1 : 0;
                current.push_back(e);
            }
            fault(fmt::format("{}: a set is not closed", what));
            return std::nullopt;
        }
        ++m_i;
        v.text = t.kind == NftTokenKind::string ? "\"" + t.text + "\"" : t.text;
        if (t.kind == NftTokenKind::word && t.text.starts_with('@')) {
            const auto* set = m_table.set(std::string_view(t.text).substr(1));
            if (!set) {
                fault(fmt::format("{}: set {} does not exist in table {} {}", what, t.text.substr(1), m_table.family,
                                  m_table.name));
                return std::nullopt;
            }
            v.elements = set->elements;
            return v;
        }
        v.elements.push_back({t});
        return v;
    }

    static std::string joined(const std::vector<NftToken>& tokens)
    {
        std::string out;
        for (const auto& t : tokens)
            out += (out.empty() ? "" : " ") + (t.kind == NftTokenKind::string ? "\"" + t.text + "\"" : t.text);
        return out;
    }

    // --- expressions ---------------------------------------------------------
    void expression()
    {
        const auto& t = m_t[m_i];
        auto head = t.text;
        if (t.kind != NftTokenKind::word)
            return unknown();
        if (head == m_own) {
            if (next_is("saddr", 1))
                return m_i += 2, source();
            if (next_is(m_family == Family::ipv4 ? "protocol" : "nexthdr", 1))
                return m_i += 2, protocol(m_family == Family::ipv4 ? "ip protocol" : "ip6 nexthdr");
            return condition(2);
        }
        if (head == m_other) {
            m_out.other_family = true;
            return;
        }
        if (head == "meta") {
            if (next_is("l4proto", 1))
                return m_i += 2, protocol("meta l4proto");
            if (next_is("set", 2))
                return m_i += 3, skip_value();
            if (next_is("nfproto", 1)) {
                m_i += 2;
                auto v = value("meta nfproto");
                auto other = m_family == Family::ipv4 ? "ipv6" : "ipv4";
                if (v && v->elements.size() == 1 && v->elements[0].size() == 1 && v->elements[0][0].is(other) != v->negated)
                    m_out.other_family = true;
                return;
            }
            return condition(2);
        }
        if (head == "tcp" || head == "udp") {
            require_protocol(head);
            return condition(2);
        }
        if (head == "mark" && next_is("set", 1))
            return m_i += 2, skip_value();
        if (head == "oifname" || head == "iifname" || head == "oif" || head == "iif" || head == "mark")
            return condition(1);
        if (head == "ct" || head == "th") {
            if (next_is("set", 2))
                return m_i += 3, skip_value();
            return condition(2);
        }
        if (head == "counter") {
            ++m_i;
            while (next_is("packets") || next_is("bytes") || next_is("name"))
                m_i += 2;
            return;
        }
        if (head == "comment") {
            m_i += 2;
            return;
        }
        if (head == "log") {
            ++m_i;
            static constexpr std::array k_options{"prefix", "level", "group", "snaplen", "queue-threshold"};
            while (more() && std::find(k_options.begin(), k_options.end(), m_t[m_i].text) != k_options.end())
                m_i += 2;
            if (next_is("flags")) {
                m_i += 2;
                while (more() && m_t[m_i].kind == NftTokenKind::comma)
                    m_i += 2;
            }
            return;
        }
        if (head == "notrack" || head == "continue") {
            ++m_i;
            return;
        }
        if (head == "accept" || head == "drop" || head == "return" || head == "queue")
            return verdict(head == "accept" ? std::string(k_nft_accept) : head == "return" ? "RETURN" : "DROP");
        if (head == "reject") {
            verdict("DROP");
            if (next_is("with"))
                m_i = m_t.size(); // `with icmp type ...`: the packet is gone either way
            return;
        }
        if (head == "jump" || head == "goto") {
            if (!peek(1) || peek(1)->kind != NftTokenKind::word)
                return fault(fmt::format("{}: a chain name is missing", head));
            bool first = m_base.target.empty();
            ++m_i;
            verdict(m_t[m_i].text);
            if (first)
                m_base.goto_chain = head == "goto";
            return;
        }
        if (head == "snat")
            return snat();
        if (head == "masquerade")
            return masquerade();
        if (head == "dnat")
            return dnat();
        if (head == "redirect")
            return redirect();
        unknown();
    }

    /// An expression this reader does not know, up to where a known one starts:
    /// a warning, and a condition that makes the rule "may match".
    void unknown()
    {
        auto from = m_i++;
        while (more() && !(m_t[m_i].kind == NftTokenKind::word && k_known_heads.count(m_t[m_i].text)))
            ++m_i;
        auto text = joined({m_t.begin() + static_cast<std::ptrdiff_t>(from), m_t.begin() + static_cast<std::ptrdiff_t>(m_i)});
        m_out.warnings.push_back(fmt::format("\"{}\" is not understood; the rule may match", text));
        m_conditions.push_back(text);
    }

    /// `HEAD... [op] VALUE` that a lookup cannot evaluate (interfaces, destinations, ports, state).
    void condition(std::size_t head_words)
    {
        std::vector<NftToken> head(m_t.begin() + static_cast<std::ptrdiff_t>(m_i),
                                   m_t.begin() + static_cast<std::ptrdiff_t>(std::min(m_i + head_words, m_t.size())));
        m_i += head.size();
        if (next_is("vmap"))
            return ++m_i, verdict_map(joined(head));
        auto v = value(joined(head));
        if (!v)
            return;
        // Interface names print quoted (`oifname "lo"`) however they were written.
        bool name = head.back().is("oifname") || head.back().is("iifname");
        if (name && v->elements.size() == 1 && v->elements[0].size() == 1 && v->elements[0][0].kind == NftTokenKind::word)
            v->text = "\"" + v->text + "\"";
        m_conditions.push_back(fmt::format("{} {}{}", joined(head), v->negated ? "!= " : "", v->text));
    }

    /// `HEAD vmap { KEY : VERDICT, ... }`: one Rule per element, the key its
    /// source (for `ip saddr`) or a condition, the verdict its target.
    void verdict_map(const std::string& head)
    {
        auto v = value(head + " vmap");
        if (!v)
            return;
        for (const auto& e : v->elements) {
            if (e.size() < 3 || !e[1].is(":"))
                return fault(fmt::format("{} vmap: element \"{}\" is not KEY : VERDICT", head, joined(e)));
            VmapEntry entry;
            auto verdict = e[2].text;
            if ((verdict == "jump" || verdict == "goto") && e.size() == 4) {
                entry.target = e[3].text;
                entry.goto_chain = verdict == "goto";
            } else if (e.size() == 3 && (verdict == "accept" || verdict == "drop" || verdict == "return" ||
                                         verdict == "continue")) {
                entry.target = verdict == "accept"   ? std::string(k_nft_accept)
                               : verdict == "drop"   ? "DROP"
                               : verdict == "return" ? "RETURN"
                                                     : "";
            } else {
                return fault(fmt::format("{} vmap: \"{}\" is not a verdict", head, joined({e.begin() + 2, e.end()})));
            }
            if (head == saddr()) {
                auto key = e.size() >= 1 ? source_of(e[0].text) : std::nullopt;
                if (!key)
                    return fault(fmt::format("{} vmap: \"{}\" is not an {} address, prefix or range", head, e[0].text,
                                             family_name()));
                entry.source = key;
            } else {
                entry.condition = head + " " + e[0].text;
            }
            m_vmap.push_back(std::move(entry));
        }
        if (!m_vmap.empty())
            m_base.target = "vmap"; // a verdict, so later statements are never reached
    }

    void skip_value() { value("set"); }

    void verdict(std::string target)
    {
        ++m_i;
        if (!m_base.target.empty())
            m_out.warnings.push_back(fmt::format("\"{}\" after \"{}\" is never reached", target, m_base.target));
        else
            m_base.target = std::move(target);
    }

    std::string saddr() const { return m_own + " saddr"; }
    std::string_view family_name() const { return m_family == Family::ipv4 ? "IPv4" : "IPv6"; }

    /// An address, prefix or range of this reading's family.
    std::optional<Source> source_of(std::string_view text) const
    {
        Source out;
        if (m_family == Family::ipv6) {
            auto range = parse_ipv6_range(text);
            if (!range)
                return std::nullopt;
            out.v6 = *range;
            return out;
        }
        auto range = address_range(text);
        if (!range)
            return std::nullopt;
        out.v4.range = *range;
        return out;
    }

    std::string describe(const Source& s) const
    {
        return m_family == Family::ipv4 ? s.v4.describe() : format_ipv6_range(s.v6);
    }

    void source()
    {
        if (next_is("vmap"))
            return ++m_i, verdict_map(saddr());
        auto v = value(saddr());
        if (!v)
            return;
        std::vector<Source> sources;
        for (const auto& e : v->elements) {
            auto one = e.size() == 1 ? source_of(e[0].text) : std::nullopt;
            if (!one)
                return fault(fmt::format("{}: \"{}\" is not an {} address, prefix or range", saddr(), joined(e),
                                         family_name()));
            sources.push_back(*one);
        }
        if (v->negated && sources.size() > 1) {
            // Not one range this stage can hold: the rule may match.
            m_conditions.push_back(saddr() + " != " + v->text);
            return;
        }
        if (v->negated)
            sources[0].v4.negated = true;
        if (m_source_set) {
            m_conditions.push_back(fmt::format("{} {}{}", saddr(), v->negated ? "!= " : "", v->text));
            return;
        }
        m_source_set = true;
        m_sources = std::move(sources);
    }

    static std::optional<Ipv4Range> address_range(std::string_view text)
    {
        if (auto net = parse_ipv4_network(text))
            return net;
        return parse_ipv4_dash_range(text);
    }

    void protocol(std::string_view what)
    {
        auto v = value(what);
        if (!v)
            return;
        std::vector<std::string> names;
        for (const auto& e : v->elements) {
            if (e.size() != 1)
                return fault(fmt::format("{}: \"{}\" is not a protocol", what, joined(e)));
            names.push_back(protocol_name(e[0].text));
        }
        if (v->negated && names.size() > 1) {
            m_conditions.push_back(fmt::format("{} != {}", what, v->text));
            m_proto_constrained = true;
            return;
        }
        m_proto_constrained = true;
        m_protos.clear();
        for (auto& n : names)
            m_protos.push_back({n, v->negated});
    }

    /// `tcp dport 80` needs the protocol tcp; nft refuses a rule that asked for another.
    void require_protocol(const std::string& proto)
    {
        if (m_proto_constrained && (m_protos.size() != 1 || m_protos[0].second || m_protos[0].first != proto)) {
            if (m_protos.size() == 1 && !m_protos[0].second)
                return fault(fmt::format("conflicting protocols specified: {} vs. {}", m_protos[0].first, proto));
            // A set or a negation that includes it: this expression narrows it to `proto`.
        }
        m_proto_constrained = true;
        m_protos = {{proto, false}};
    }

    // --- NAT statements --------------------------------------------------------
    void flags()
    {
        static constexpr std::array k_flags{"persistent", "random", "fully-random"};
        while (more() && (m_t[m_i].kind == NftTokenKind::comma ||
                          std::find(k_flags.begin(), k_flags.end(), m_t[m_i].text) != k_flags.end()))
            ++m_i;
    }

    bool family_word()
    {
        if (next_is(m_other)) {
            m_out.other_family = true;
            return false;
        }
        if (next_is(m_own))
            ++m_i;
        return true;
    }

    void snat()
    {
        ++m_i;
        if (!family_word())
            return;
        if (next_is("to")) // nft takes `snat 192.0.2.1` too
            ++m_i;
        if (next_is(m_own) && next_is("saddr", 1) && next_is("map", 2)) {
            m_i += 3;
            return source_map();
        }
        if (!more())
            return fault("snat: an address is missing");
        if (next_is("map", 1) || next_is("map", 2))
            return unread_map("snat", "SNAT");
        if (!nat_address(take_text(), "snat"))
            return;
        m_base.target = "SNAT";
        flags();
    }

    /// `A`, `A-B`, `A:P`, `A:P-Q`, `A-B:P-Q` into the rule's address and ports.
    bool nat_address(const std::string& text, std::string_view what)
    {
        if (m_family == Family::ipv6)
            return nat_address6(text, what);
        if (text.starts_with('[')) {
            m_out.other_family = true;
            return false;
        }
        auto colon = text.find(':');
        auto address = std::string_view(text).substr(0, colon);
        if (!address.empty()) {
            auto range = address.find('-') == std::string_view::npos ? parse_ipv4_network(address)
                                                                      : parse_ipv4_dash_range(address);
            if (!range) {
                fault(fmt::format("{}: \"{}\" is not an IPv4 address or range", what, address));
                return false;
            }
            m_base.to_addresses = range;
        }
        if (colon != std::string::npos && !ports(std::string_view(text).substr(colon + 1), what))
            return false;
        return true;
    }

    /// `A`, `A-B`, `[A]:P-Q`, `[A]-[B]:P-Q`; an IPv4 address is the other family's.
    bool nat_address6(const std::string& text, std::string_view what)
    {
        std::string_view s = text;
        std::string address;
        if (s.starts_with('[')) {
            auto close = s.find(']');
            address = std::string(s.substr(1, close == std::string_view::npos ? s.npos : close - 1));
            s.remove_prefix(close == std::string_view::npos ? s.size() : close + 1);
            if (s.starts_with("-[")) {
                auto close2 = s.find(']');
                address += "-" + std::string(s.substr(2, close2 == std::string_view::npos ? s.npos : close2 - 2));
                s.remove_prefix(close2 == std::string_view::npos ? s.size() : close2 + 1);
            }
            if (!s.empty() && !s.starts_with(':')) {
                fault(fmt::format("{}: \"{}\" is not an IPv6 address or range", what, text));
                return false;
            }
        } else if (s.starts_with(':') && s.find(':', 1) == std::string_view::npos) {
            // `:PORTS` alone (dnat to :8080)
        } else {
            address = text;
            s = {};
            if (address.find(':') == std::string::npos && (parse_ipv4_network(address) || parse_ipv4_dash_range(address))) {
                m_out.other_family = true;
                return false;
            }
        }
        if (!address.empty()) {
            auto range = parse_ipv6_range(address);
            if (!range) {
                fault(fmt::format("{}: \"{}\" is not an IPv6 address or range", what, address));
                return false;
            }
            m_base.to_addresses6 = range;
        }
        if (s.starts_with(':') && !ports(s.substr(1), what))
            return false;
        return true;
    }

    bool ports(std::string_view text, std::string_view what)
    {
        std::string why;
        auto range = parse_port_range(text, why, "-", 0); // nft takes 0 as the low end
        if (!range) {
            fault(fmt::format("{}: {}", what, why));
            return false;
        }
        if (!m_proto_constrained) {
            fault("transport protocol mapping is only valid after transport protocol match");
            return false;
        }
        m_base.to_ports = range;
        return true;
    }

    void source_map()
    {
        auto v = value("snat map");
        if (!v)
            return;
        std::vector<MapEntry> entries;
        for (const auto& e : v->elements) {
            // KEY : ADDRESS [. PORTS]
            if (e.size() < 3 || !e[1].is(":") || (e.size() != 3 && !(e.size() == 5 && e[3].is("."))))
                return fault(fmt::format("snat map: element \"{}\" is not SOURCE : ADDRESS [. PORTS]", joined(e)));
            auto key = source_of(e[0].text);
            auto to = source_of(e[2].text);
            if (!key || !to)
                return fault(fmt::format("snat map: element \"{}\" does not hold {} addresses", joined(e),
                                         family_name()));
            // The rule's text names the map, not the element: the element is the evidence.
            auto evidence = v->text.starts_with('@')
                                ? fmt::format(" [{} line {}: {}]", v->text, e[0].line, joined(e))
                                : fmt::format(" [element {}]", joined(e));
            MapEntry entry{*key, to->v4.range, to->v6, std::nullopt, std::move(evidence)};
            if (e.size() == 5) {
                std::string why;
                auto p = parse_port_range(e[4].text, why, "-", 0);
                if (!p)
                    return fault(fmt::format("snat map: {}", why));
                if (!m_proto_constrained)
                    return fault("transport protocol mapping is only valid after transport protocol match");
                entry.ports = p;
            }
            entries.push_back(entry);
        }
        m_map = std::move(entries);
        m_base.target = "SNAT";
        flags();
    }

    /// `[to :LO-HI]` after masquerade or redirect; false after a fault.
    bool to_ports(std::string_view what)
    {
        if (!next_is("to"))
            return true;
        ++m_i;
        auto text = take_text();
        if (!text.starts_with(':')) {
            fault(fmt::format("{} to \"{}\": only ports (:LO-HI) can follow", what, text));
            return false;
        }
        return ports(std::string_view(text).substr(1), what);
    }

    /// `snat to tcp dport map { ... }` and the like: which source gets which address is not
    /// in the rule. It still takes connections, so later rules may not see them: may match.
    void unread_map(std::string_view what, std::string target)
    {
        auto from = m_i;
        while (more() && !m_t[m_i].is("map"))
            ++m_i;
        ++m_i;
        auto keyed = joined({m_t.begin() + static_cast<std::ptrdiff_t>(from),
                             m_t.begin() + static_cast<std::ptrdiff_t>(std::min(m_i, m_t.size()))});
        value(fmt::format("{} map", what));
        m_out.warnings.push_back(
            fmt::format("{} to {}: a map on anything but ip saddr is not read; the rule may match", what, keyed));
        m_conditions.push_back(fmt::format("{} to {}", what, keyed));
        m_base.target = std::move(target);
        flags();
    }

    void masquerade()
    {
        ++m_i;
        m_base.target = "MASQUERADE";
        if (to_ports("masquerade"))
            flags();
    }

    void dnat()
    {
        ++m_i;
        if (!family_word())
            return;
        if (next_is("to"))
            ++m_i;
        if (next_is("map", 1) || next_is("map", 2) || next_is("map", 3))
            return unread_map("dnat", "DNAT");
        if (!nat_address(take_text(), "dnat"))
            return;
        m_base.target = "DNAT";
        flags();
    }

    void redirect()
    {
        ++m_i;
        m_base.target = "REDIRECT";
        if (to_ports("redirect"))
            flags();
    }

    // --- the Rules it stands for -------------------------------------------------
    void expand()
    {
        m_base.conditions = m_conditions;
        auto add = [&](const Source& source, const std::pair<std::string, bool>& proto) {
            Rule r = m_base;
            r.source = source.v4;
            r.source6 = source.v6;
            r.proto = proto.first;
            r.proto_negated = proto.second;
            return r;
        };
        if (m_map) {
            if (m_source_set) {
                // Both a source match and a map on the source: held as a condition (may match).
                std::string sources;
                for (const auto& s : m_sources)
                    sources += (sources.empty() ? "" : ", ") + describe(s);
                m_base.conditions.push_back(saddr() + " " + sources);
            }
            for (const auto& entry : *m_map)
                for (const auto& proto : m_protos) {
                    Rule r = add(entry.source, proto);
                    if (m_family == Family::ipv4)
                        r.to_addresses = entry.to;
                    else
                        r.to_addresses6 = entry.to6;
                    r.to_ports = entry.ports;
                    r.conditions = m_base.conditions;
                    r.text += entry.evidence;
                    m_out.rules.push_back(std::move(r));
                }
            return;
        }
        if (!m_vmap.empty()) {
            for (const auto& entry : m_vmap)
                for (const auto& source : m_sources)
                    for (const auto& proto : m_protos) {
                        Rule r = add(source, proto);
                        r.target = entry.target;
                        r.goto_chain = entry.goto_chain;
                        if (entry.source && m_source_set) {
                            r.conditions.push_back(saddr() + " " + describe(*entry.source));
                        } else if (entry.source) {
                            r.source = entry.source->v4;
                            r.source6 = entry.source->v6;
                        }
                        if (!entry.condition.empty())
                            r.conditions.push_back(entry.condition);
                        m_out.rules.push_back(std::move(r));
                    }
            return;
        }
        for (const auto& source : m_sources)
            for (const auto& proto : m_protos)
                m_out.rules.push_back(add(source, proto));
    }

    const NftTable& m_table;
    const std::vector<NftToken>& m_t;
    Family m_family;
    std::string m_own;   ///< "ip" or "ip6": this family's payload and NAT keyword
    std::string m_other; ///< the other family's
    std::size_t m_i = 0;
    NftRuleReading m_out;
    Rule m_base;
    std::vector<Source> m_sources{Source{}};
    bool m_source_set = false;
    std::vector<std::pair<std::string, bool>> m_protos{{"", false}};
    bool m_proto_constrained = false;
    std::vector<std::string> m_conditions;
    std::optional<std::vector<MapEntry>> m_map;
    std::vector<VmapEntry> m_vmap;
};

} // namespace

NftRuleReading read_nft_rule(const NftRule& rule, const NftTable& table, std::string_view chain, Family family)
{
    return RuleReader(rule, table, chain, family).read();
}

} // namespace natfw
