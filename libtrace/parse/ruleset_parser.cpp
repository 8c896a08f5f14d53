#include "parse/ruleset_parser.hpp"

#include "util/number.hpp"

#include "parse/rule_parser.hpp"
#include "util/tokenize.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

namespace natfw {

namespace {

const std::set<std::string> k_nat_builtin_chains{"PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"};

class FileReader {
public:
    explicit FileReader(std::string_view content) : m_content(content) {}

    ParsedRuleset read()
    {
        if (m_content.find_first_not_of(" \t\r\n") == std::string_view::npos) {
            m_out.unusable = Diagnostic{0, "the file is empty"};
            return std::move(m_out);
        }
        std::size_t pos = 0;
        int line_no = 0;
        int first_crlf = 0;
        while (pos < m_content.size()) {
            auto end = m_content.find('\n', pos);
            std::string_view line = m_content.substr(pos, end == std::string_view::npos ? end : end - pos);
            pos = end == std::string_view::npos ? m_content.size() : end + 1;
            ++line_no;
            if (!line.empty() && line.back() == '\r') {
                line.remove_suffix(1);
                if (!first_crlf)
                    first_crlf = line_no;
            }
            read_line(line_no, line);
            if (m_out.unusable)
                break;
        }
        if (first_crlf)
            m_out.warnings.push_back({first_crlf, "CRLF line ends (the file was copied from another system?); "
                                                  "read as LF"});
        if (!m_out.unusable && !m_table.empty()) {
            fault(line_no, fmt::format("the *{} table has no COMMIT (the file is truncated?)", m_table));
        }
        if (!m_out.unusable)
            finish_nat();
        return std::move(m_out);
    }

private:
    bool in_nat() const { return m_table == "nat"; }

    /// A line iptables-restore would refuse: fatal inside *nat, else a warning.
    void fault(int line_no, std::string why)
    {
        if (in_nat())
            m_out.unusable = Diagnostic{line_no, std::move(why)};
        else
            m_out.warnings.push_back({line_no, std::move(why)});
    }

    void read_line(int line_no, std::string_view line)
    {
        auto first = line.find_first_not_of(" \t");
        if (first == std::string_view::npos || line[first] == '#')
            return;
        line.remove_prefix(first);
        if (line.front() == '*') {
            if (!m_table.empty())
                return fault(line_no, fmt::format("*{} starts before the *{} table's COMMIT", line.substr(1), m_table));
            m_table = std::string(line.substr(1));
            while (!m_table.empty() && (m_table.back() == ' ' || m_table.back() == '\t'))
                m_table.pop_back();
            if (in_nat()) {
                if (m_out.has_nat_table)
                    return fault(line_no, "a second *nat table");
                m_out.has_nat_table = true;
            }
            return;
        }
        if (line == "COMMIT" || line.rfind("COMMIT ", 0) == 0) {
            if (m_table.empty())
                return fault(line_no, "COMMIT outside a table");
            m_table.clear();
            return;
        }
        if (m_table.empty())
            return fault(line_no, fmt::format("\"{}\" outside a table", line));
        if (line.front() == ':')
            return declare_chain(line_no, line);
        read_command(line_no, line);
    }

    void declare_chain(int line_no, std::string_view line)
    {
        auto tokens = tokenize(line.substr(1)).tokens;
        if (tokens.empty() || tokens.size() > 3)
            return fault(line_no, "bad chain declaration");
        if (in_nat() && !k_nat_builtin_chains.count(tokens[0].text))
            m_user_chains.insert(tokens[0].text);
    }

    void read_command(int line_no, std::string_view line)
    {
        std::string_view text = line;
        // iptables-save -c puts the counters before the command.
        if (line.front() == '[') {
            auto close = line.find(']');
            if (close == std::string_view::npos)
                return fault(line_no, "unterminated counters");
            line.remove_prefix(close + 1);
        }
        Tokens tok = tokenize(line);
        if (!tok.ok)
            return fault(line_no, "unterminated quote");
        if (tok.tokens.empty())
            return fault(line_no, "counters without a command");
        const std::string& cmd = tok.tokens[0].text;
        bool append = cmd == "-A" || cmd == "--append";
        bool insert = cmd == "-I" || cmd == "--insert";
        if (!append && !insert)
            return fault(line_no, fmt::format("\"{}\" is not a rule (expected -A CHAIN ...)", text));
        if (tok.tokens.size() < 2)
            return fault(line_no, fmt::format("{} needs a chain", cmd));
        if (!in_nat())
            return; // other tables are not ours to check beyond their structure

        Rule rule;
        rule.line = line_no;
        rule.chain = tok.tokens[1].text;
        rule.text = std::string(text);
        std::size_t first_option = 2;
        std::size_t insert_at = m_chains[rule.chain].size();
        if (insert) {
            insert_at = 0;
            if (tok.tokens.size() > 2 && !tok.tokens[2].text.empty() && std::isdigit(static_cast<unsigned char>(tok.tokens[2].text[0]))) {
                auto n = parse_decimal<std::size_t>(tok.tokens[2].text, 1, m_chains[rule.chain].size() + 1);
                if (!n)
                    return fault(line_no, fmt::format("rule number {} is past the end of {}", tok.tokens[2].text,
                                                      rule.chain));
                insert_at = *n - 1;
                first_option = 3;
            }
        }
        if (!k_nat_builtin_chains.count(rule.chain) && !m_user_chains.count(rule.chain))
            return fault(line_no, fmt::format("chain {} does not exist", rule.chain));
        auto problems = parse_rule_options(std::span(tok.tokens).subspan(first_option), m_user_chains, rule);
        if (problems.fault)
            return fault(line_no, *problems.fault);
        for (auto& w : problems.warnings)
            m_out.warnings.push_back({line_no, std::move(w)});
        auto& chain = m_chains[rule.chain];
        if (std::find(m_chain_order.begin(), m_chain_order.end(), rule.chain) == m_chain_order.end())
            m_chain_order.push_back(rule.chain);
        chain.insert(chain.begin() + static_cast<std::ptrdiff_t>(insert_at), std::move(rule));
    }

    void finish_nat()
    {
        int position = 0;
        for (const auto& name : m_chain_order) {
            for (auto& rule : m_chains[name]) {
                rule.position = position++;
                m_out.nat_rules.push_back(std::move(rule));
            }
        }
    }

    std::string_view m_content;
    ParsedRuleset m_out;
    std::string m_table;
    std::set<std::string> m_user_chains;
    std::map<std::string, std::vector<Rule>> m_chains;
    std::vector<std::string> m_chain_order;
};

} // namespace

ParsedRuleset parse_ruleset(std::string_view content)
{
    return FileReader(content).read();
}

} // namespace natfw
