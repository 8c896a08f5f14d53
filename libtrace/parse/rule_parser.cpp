#include "parse/rule_parser.hpp"

#include "util/number.hpp"

#include <fmt/format.h>
#include <netdb.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace natfw {

namespace {

const std::set<std::string> k_known_targets{"SNAT",     "DNAT",   "MASQUERADE", "REDIRECT", "RETURN",
                                            "ACCEPT",   "NETMAP", "LOG",        "MARK",     "CONNMARK",
                                            "NOTRACK",  "CT",     "TRACE",      "NFLOG"};
const std::set<std::string> k_port_protocols{"tcp", "udp", "sctp", "dccp"};

// Options of the matches whose meaning we know; the value is the number of
// arguments. Matches not listed here are kept as "may match" conditions.
const std::map<std::string, std::map<std::string, int>> k_matches{
    {"tcp",
     {{"--sport", 1}, {"--source-port", 1}, {"--dport", 1}, {"--destination-port", 1}, {"--tcp-flags", 2},
      {"--syn", 0}, {"--tcp-option", 1}}},
    {"udp", {{"--sport", 1}, {"--source-port", 1}, {"--dport", 1}, {"--destination-port", 1}}},
    {"comment", {{"--comment", 1}}},
    {"iprange", {{"--src-range", 1}, {"--dst-range", 1}}},
    {"multiport",
     {{"--sports", 1}, {"--source-ports", 1}, {"--dports", 1}, {"--destination-ports", 1}, {"--ports", 1}}},
};

// Matches iptables ships whose conditions a lookup cannot evaluate (marks,
// conntrack state, interfaces' address types, ...): understood, so no
// warning, and kept as "may match" conditions.
const std::set<std::string> k_condition_matches{
    "addrtype", "ah",     "cgroup",  "comment", "connbytes", "connlimit", "connmark", "conntrack", "cpu",
    "dccp",     "devgroup", "dscp",  "ecn",     "esp",       "hashlimit", "helper",   "icmp",      "iprange",
    "ipvs",     "length", "limit",   "mac",     "mark",      "multiport", "owner",    "physdev",   "pkttype",
    "policy",   "quota",  "realm",   "recent",  "rpfilter",  "sctp",      "set",      "socket",    "state",
    "statistic", "string", "tcpmss", "time",    "tos",       "ttl",       "u32",      "udplite"};

const std::map<std::string, std::map<std::string, int>> k_target_options{
    {"SNAT", {{"--to-source", 1}, {"--to", 1}, {"--random", 0}, {"--random-fully", 0}, {"--persistent", 0}}},
    {"DNAT", {{"--to-destination", 1}, {"--to", 1}, {"--random", 0}, {"--persistent", 0}}},
    {"MASQUERADE", {{"--to-ports", 1}, {"--random", 0}, {"--random-fully", 0}}},
    {"REDIRECT", {{"--to-ports", 1}, {"--random", 0}}},
    {"RETURN", {}},
    {"ACCEPT", {}},
};

bool is_option(const Token& t) { return !t.quoted && t.text.size() > 1 && t.text[0] == '-'; }

/// Reads a protocol as iptables does: a name from /etc/protocols or a number.
std::optional<std::string> parse_protocol(std::string value)
{
    std::transform(value.begin(), value.end(), value.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    if (value == "all" || value == "0")
        return std::string{};
    if (!value.empty() && std::isdigit(static_cast<unsigned char>(value.front()))) {
        auto number = parse_decimal(value, 0, 255);
        if (!number)
            return std::nullopt;
        if (const protoent* p = getprotobynumber(*number))
            return std::string(p->p_name);
        return value;
    }
    if (value == "tcp" || value == "udp" || value == "icmp" || getprotobyname(value.c_str()))
        return value;
    return std::nullopt;
}

class RuleReader {
public:
    RuleReader(std::span<const Token> options, const std::set<std::string>& user_chains, Rule& rule, Family family)
        : m_tok(options), m_user_chains(user_chains), m_rule(rule), m_family(family)
    {
    }

    RuleProblems read()
    {
        while (m_i < m_tok.size() && !m_out.fault)
            read_one();
        if (!m_out.fault)
            check_target();
        return std::move(m_out);
    }

private:
    void fault(std::string why)
    {
        if (!m_out.fault)
            m_out.fault = std::move(why);
    }

    /// The value after option `name`; a fault when it is missing.
    std::optional<std::string> value(const std::string& name)
    {
        if (m_i >= m_tok.size() || (is_option(m_tok[m_i]) && m_tok[m_i].text != "!")) {
            fault(fmt::format("option {} needs a value", name));
            return std::nullopt;
        }
        return m_tok[m_i++].text;
    }

    void condition(bool negated, const std::string& name, const std::string& val)
    {
        m_rule.conditions.push_back(fmt::format("{}{}{}{}", negated ? "! " : "", name, val.empty() ? "" : " ", val));
    }

    void read_one()
    {
        bool negated = false;
        if (m_tok[m_i].text == "!" && !m_tok[m_i].quoted) {
            negated = true;
            ++m_i;
            if (m_i >= m_tok.size()) {
                fault("'!' at the end of the rule");
                return;
            }
        }
        const Token& t = m_tok[m_i++];
        const std::string& o = t.text;
        if (!is_option(t)) {
            fault(fmt::format("unexpected argument \"{}\"", o));
            return;
        }
        if (auto handler = handlers().find(o); handler != handlers().end())
            (this->*handler->second)(negated, o);
        else if (o.rfind("--", 0) == 0)
            extension_option(negated, o);
        else
            fault(fmt::format("unknown option \"{}\"", o));
    }

    using Handler = void (RuleReader::*)(bool negated, const std::string& option);
    /// iptables' own options (not a match's or a target's), by every name they go by.
    static const std::map<std::string, Handler, std::less<>>& handlers()
    {
        static const std::map<std::string, Handler, std::less<>> table{
        {"-s", &RuleReader::source},           {"--source", &RuleReader::source},
        {"--src", &RuleReader::source},        {"-d", &RuleReader::unknowable},
        {"--destination", &RuleReader::unknowable}, {"--dst", &RuleReader::unknowable},
        {"-i", &RuleReader::unknowable},       {"--in-interface", &RuleReader::unknowable},
        {"-o", &RuleReader::unknowable},       {"--out-interface", &RuleReader::unknowable},
        {"-p", &RuleReader::protocol},         {"--protocol", &RuleReader::protocol},
        {"-f", &RuleReader::fragment},         {"--fragment", &RuleReader::fragment},
        {"-c", &RuleReader::counters},         {"--set-counters", &RuleReader::counters},
        {"-m", &RuleReader::match},            {"--match", &RuleReader::match},
        {"-j", &RuleReader::jump},             {"--jump", &RuleReader::jump},
        {"-g", &RuleReader::jump},             {"--goto", &RuleReader::jump},
        };
        return table;
    }

    void source(bool negated, const std::string& o)
    {
        auto v = value(o);
        if (!v)
            return;
        if (m_family == Family::ipv6) {
            auto net6 = parse_ipv6_network(*v);
            if (!net6) {
                m_out.warnings.push_back(fmt::format("source \"{}\" is not an IPv6 address or network", *v));
                condition(negated, o, *v);
                return;
            }
            m_rule.source6 = *net6;
            m_rule.source.negated = negated;
            return;
        }
        auto net = parse_ipv4_network(*v);
        if (!net) {
            m_out.warnings.push_back(fmt::format("source \"{}\" is not an IPv4 address or network", *v));
            condition(negated, o, *v);
            return;
        }
        m_rule.source = SourceMatch{*net, negated};
    }

    /// A condition the complaint cannot tell (destination, interfaces): the rule may match.
    void unknowable(bool negated, const std::string& o)
    {
        if (auto v = value(o))
            condition(negated, o, *v);
    }

    void protocol(bool negated, const std::string& o)
    {
        auto v = value(o);
        if (!v)
            return;
        auto proto = parse_protocol(*v);
        if (!proto) {
            fault(fmt::format("unknown protocol \"{}\"", *v));
            return;
        }
        m_rule.proto = *proto;
        m_rule.proto_negated = negated;
        if (negated)
            condition(true, "-p", *proto);
    }

    void fragment(bool negated, const std::string& o) { condition(negated, o, ""); }

    void counters(bool, const std::string& o)
    {
        if (value(o))
            value(o);
    }

    void match(bool, const std::string& o)
    {
        if (auto v = value(o))
            start_match(*v);
    }

    void jump(bool, const std::string& o)
    {
        if (auto v = value(o)) {
            m_rule.target = *v;
            m_rule.goto_chain = o == "-g" || o == "--goto";
            m_in_target = true;
        }
    }

    void start_match(const std::string& name)
    {
        m_in_target = false;
        m_matches.push_back(name);
        if (k_condition_matches.count(name) && !k_matches.count(name)) {
            m_rule.conditions.push_back("-m " + name);
        } else if (!k_matches.count(name)) {
            m_out.warnings.push_back(fmt::format("match \"{}\" is not understood; the rule counts as "
                                                 "\"may match\"",
                                                 name));
            m_rule.conditions.push_back("-m " + name);
        }
    }

    /// Takes the arguments of an option whose arity we do not know: the
    /// tokens up to the next option.
    std::string loose_values()
    {
        std::string joined;
        while (m_i < m_tok.size() && !is_option(m_tok[m_i]) && m_tok[m_i].text != "!")
            joined += (joined.empty() ? "" : " ") + m_tok[m_i++].text;
        return joined;
    }

    /// The loaded match that defines option `o`, as iptables offers an option
    /// to every loaded match; the protocol's match counts as loaded.
    const std::map<std::string, int>* match_with(const std::string& o) const
    {
        for (auto it = m_matches.rbegin(); it != m_matches.rend(); ++it) {
            auto m = k_matches.find(*it);
            if (m != k_matches.end() && m->second.count(o))
                return &m->second;
        }
        auto implicit = k_matches.find(m_rule.proto);
        if (!m_rule.proto_negated && implicit != k_matches.end() && implicit->second.count(o))
            return &implicit->second;
        return nullptr;
    }

    void extension_option(bool negated, const std::string& o)
    {
        auto target = k_target_options.find(m_rule.target);
        if (m_in_target && (target == k_target_options.end() || target->second.count(o))) {
            target_option(o);
            return;
        }
        const auto* match = match_with(o);
        if (!match) {
            // The option belongs to a loaded match whose options we do not
            // list; only an option no loaded match can own is worth a warning.
            bool owner_loaded = std::any_of(m_matches.begin(), m_matches.end(),
                                            [](const std::string& m) { return !k_matches.count(m); });
            if (!owner_loaded)
                m_out.warnings.push_back(fmt::format("option {} is not understood; the rule counts as "
                                                     "\"may match\"",
                                                     o));
            condition(negated, o, loose_values());
            return;
        }
        std::string joined;
        for (int k = 0; k < match->at(o); ++k) {
            auto v = value(o);
            if (!v)
                return;
            joined += (joined.empty() ? "" : " ") + *v;
        }
        if (o == "--comment")
            return;
        if (o == "--src-range" && m_family == Family::ipv6) {
            auto range = parse_ipv6_dash_range(joined);
            if (!range)
                return fault(fmt::format("bad address range \"{}\"", joined));
            m_rule.source6 = *range;
            m_rule.source.negated = negated;
            return;
        }
        if (o == "--src-range") {
            auto range = parse_ipv4_dash_range(joined);
            if (!range) {
                fault(fmt::format("bad address range \"{}\"", joined));
                return;
            }
            m_rule.source = SourceMatch{*range, negated};
            return;
        }
        condition(negated, o, joined);
    }

    void target_option(const std::string& o)
    {
        auto target = k_target_options.find(m_rule.target);
        if (target == k_target_options.end()) {
            loose_values(); // an unknown target's own options
            return;
        }
        auto arity = target->second.find(o);
        if (arity->second == 0)
            return;
        auto v = value(o);
        if (!v)
            return;
        if (o == "--to-ports") {
            std::string why;
            auto ports = parse_port_range(*v, why);
            if (!ports)
                return fault(why);
            m_rule.to_ports = ports;
            return;
        }
        if (m_rule.to_addresses || m_to_seen)
            return fault(fmt::format("{} given more than once", o));
        m_to_seen = true;
        if (m_family == Family::ipv6)
            to_address6(*v);
        else
            to_address(*v);
    }

    /// The `P[-Q]` after a target's address into the rule; false after a fault.
    bool port_block(std::string_view ports)
    {
        // Newer iptables allows a shifted range `lo-hi/base` for DNAT: the block is still lo-hi.
        if (auto slash = ports.find('/'); slash != std::string_view::npos)
            ports = ports.substr(0, slash);
        std::string why;
        auto range = parse_port_range(ports, why);
        if (!range) {
            fault(why);
            return false;
        }
        m_rule.to_ports = range;
        return true;
    }

    /// ip6tables' `A[-B]`, or with ports `[A]:P[-Q]` and `[A]-[B]:P[-Q]`.
    void to_address6(const std::string& v)
    {
        std::string_view s = v;
        std::string addr;
        if (s.starts_with('[')) {
            auto close = s.find(']');
            if (close == std::string_view::npos)
                return fault(fmt::format("bad address \"{}\" in {}", v, m_rule.target));
            addr = std::string(s.substr(1, close - 1));
            s.remove_prefix(close + 1);
            if (s.starts_with("-[")) {
                auto close2 = s.find(']');
                if (close2 == std::string_view::npos)
                    return fault(fmt::format("bad address \"{}\" in {}", v, m_rule.target));
                addr += "-" + std::string(s.substr(2, close2 - 2));
                s.remove_prefix(close2 + 1);
            }
            if (s.starts_with(':')) {
                if (!port_block(s.substr(1)))
                    return;
            } else if (!s.empty()) {
                return fault(fmt::format("bad address \"{}\" in {}", v, m_rule.target));
            }
        } else {
            addr = std::string(s);
        }
        if (addr.empty()) {
            if (m_rule.target == "DNAT")
                return;
            return fault(fmt::format("{} \"{}\" has no address", m_rule.target, v));
        }
        auto range = addr.find('/') == std::string::npos ? parse_ipv6_range(addr) : std::nullopt;
        if (!range)
            return fault(fmt::format("bad address \"{}\" in {}", addr, m_rule.target));
        m_rule.to_addresses6 = range;
    }

    /// `A[-B][:P[-Q]]` of --to-source / --to-destination.
    void to_address(const std::string& v)
    {
        std::string_view s = v;
        auto colon = s.find(':');
        std::string_view addr = s.substr(0, colon);
        if (colon != std::string_view::npos && !port_block(s.substr(colon + 1)))
            return;
        if (addr.empty()) {
            if (m_rule.target == "DNAT")
                return; // DNAT may change only the port
            return fault(fmt::format("{} \"{}\" has no address", m_rule.target, v));
        }
        auto range = addr.find('-') != std::string_view::npos ? parse_ipv4_dash_range(addr)
                                                              : parse_ipv4_network(addr);
        if (!range || (addr.find('/') != std::string_view::npos))
            return fault(fmt::format("bad address \"{}\" in {}", addr, m_rule.target));
        m_rule.to_addresses = range;
    }

    void check_target()
    {
        const std::string& t = m_rule.target;
        if (t.empty())
            return;
        const std::string& c = m_rule.chain;
        bool source_nat = t == "SNAT" || t == "MASQUERADE";
        bool dest_nat = t == "DNAT" || t == "REDIRECT";
        if (source_nat && (c == "PREROUTING" || c == "OUTPUT"))
            return fault(fmt::format("{} is only valid in POSTROUTING and INPUT", t));
        if (dest_nat && (c == "POSTROUTING" || c == "INPUT"))
            return fault(fmt::format("{} is only valid in PREROUTING and OUTPUT", t));
        if ((t == "SNAT" || t == "DNAT") && !m_to_seen)
            return fault(fmt::format("{} needs --to-{}", t, t == "SNAT" ? "source" : "destination"));
        if (m_rule.to_ports && (m_rule.proto_negated || !k_port_protocols.count(m_rule.proto)))
            return fault(fmt::format("a port range in {} needs -p tcp, udp, sctp or dccp", t));
        if (!k_known_targets.count(t) && !m_user_chains.count(t))
            m_out.warnings.push_back(fmt::format("target \"{}\" is not understood", t));
    }

    std::span<const Token> m_tok;
    const std::set<std::string>& m_user_chains;
    Rule& m_rule;
    Family m_family;
    RuleProblems m_out;
    std::size_t m_i = 0;
    std::vector<std::string> m_matches;
    bool m_in_target = false;
    bool m_to_seen = false;
};

} // namespace

RuleProblems parse_rule_options(std::span<const Token> options, const std::set<std::string>& user_chains,
                                Rule& rule, Family family)
{
    return RuleReader(options, user_chains, rule, family).read();
}

} // namespace natfw
