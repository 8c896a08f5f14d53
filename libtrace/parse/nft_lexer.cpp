#include "parse/nft_lexer.hpp"

#include <fmt/format.h>

#include <map>

namespace natfw {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }
bool ends_word(char c) { return is_space(c) || c == '\n' || c == '{' || c == '}' || c == ';' || c == ',' || c == '"' || c == '#'; }
bool is_name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

class Lexer {
public:
    explicit Lexer(std::string_view content) : m_in(content) {}

    NftTokens run()
    {
        m_out.tokens.reserve(m_in.size() / 8); // a rule line of ~70 bytes is ~9 tokens
        while (m_pos < m_in.size() && !m_out.unusable)
            step();
        if (m_define && !m_out.unusable) // a define on the last line, without a line end
            take(NftToken{NftTokenKind::end, "", m_line, m_in.size(), 0});
        return std::move(m_out);
    }

private:
    void fail(std::string message)
    {
        if (!m_out.unusable)
            m_out.unusable = Diagnostic{m_line, std::move(message)};
    }

    void emit(NftTokenKind kind, std::string text, std::size_t start, std::size_t length)
    {
        take(NftToken{kind, std::move(text), m_line, start, length});
    }

    void step()
    {
        char c = m_in[m_pos];
        if (c == '\n') {
            emit(NftTokenKind::end, "\n", m_pos, 1);
            ++m_pos;
            ++m_line;
        } else if (c == '\\' && continues_line()) {
            // A continued line: the statement goes on.
        } else if (is_space(c)) {
            ++m_pos;
        } else if (c == '#') {
            auto nl = m_in.find('\n', m_pos);
            m_pos = nl == std::string_view::npos ? m_in.size() : nl;
        } else if (c == '"') {
            auto close = m_in.find_first_of("\"\n", m_pos + 1);
            if (close == std::string_view::npos || m_in[close] != '"')
                return fail("a quoted string is not closed on its line");
            emit(NftTokenKind::string, std::string(m_in.substr(m_pos + 1, close - m_pos - 1)), m_pos,
                 close + 1 - m_pos);
            m_pos = close + 1;
        } else if (c == '{' || c == '}' || c == ';' || c == ',') {
            auto kind = c == '{' ? NftTokenKind::open
                        : c == '}' ? NftTokenKind::close
                        : c == ';' ? NftTokenKind::end
                                   : NftTokenKind::comma;
            emit(kind, std::string(1, c), m_pos, 1);
            ++m_pos;
        } else {
            auto start = m_pos;
            while (m_pos < m_in.size() && !ends_word(m_in[m_pos]) && !(m_in[m_pos] == '\\' && continues_line_at(m_pos)))
                ++m_pos;
            word(std::string(m_in.substr(start, m_pos - start)), start);
        }
    }

    /// At a `\` that ends its line (spaces after it allowed): skips both.
    bool continues_line() { return continues_line_at(m_pos) && skip_continuation(); }
    bool continues_line_at(std::size_t at) const
    {
        auto after = m_in.find_first_not_of(" \t\r", at + 1);
        return after == std::string_view::npos || m_in[after] == '\n';
    }
    bool skip_continuation()
    {
        auto nl = m_in.find('\n', m_pos);
        m_pos = nl == std::string_view::npos ? m_in.size() : nl + 1;
        if (nl != std::string_view::npos)
            ++m_line;
        return true;
    }

    void word(std::string text, std::size_t start)
    {
        auto length = text.size();
        if (text.front() != '$')
            return emit(NftTokenKind::word, std::move(text), start, length);
        std::size_t name_end = 1;
        while (name_end < text.size() && is_name_char(text[name_end]))
            ++name_end;
        auto name = text.substr(1, name_end - 1);
        auto it = m_defines.find(name);
        if (name.empty() || it == m_defines.end())
            return fail(fmt::format("${} is not defined", name));
        auto rest = text.substr(name_end);
        if (!rest.empty()) {
            // `$ADDR:80`: a value that is one word joins what follows it.
            if (it->second.size() != 1 || it->second.front().kind != NftTokenKind::word)
                return fail(fmt::format("${} is not one word and cannot be joined with \"{}\"", name, rest));
            return emit(NftTokenKind::word, it->second.front().text + rest, start, length);
        }
        for (const auto& t : it->second)
            take(NftToken{t.kind, t.text, m_line, start, length});
    }

    /// Every token passes here: `define NAME = VALUE` is collected, not emitted.
    void take(NftToken t)
    {
        if (m_define) {
            collect_define(std::move(t));
            return;
        }
        bool at_start = m_out.tokens.empty() || m_out.tokens.back().kind == NftTokenKind::end ||
                        m_out.tokens.back().kind == NftTokenKind::open ||
                        m_out.tokens.back().kind == NftTokenKind::close;
        if (at_start && (t.is("define") || t.is("redefine") || t.is("undefine"))) {
            m_define = Define{t.text, {}, {}, 0, false, t.line};
            return;
        }
        m_out.tokens.push_back(std::move(t));
    }

    struct Define {
        std::string keyword, name;
        std::vector<NftToken> value;
        int depth = 0;
        bool seen_equals = false;
        int line = 0;
    };

    void collect_define(NftToken t)
    {
        auto& d = *m_define;
        if (d.name.empty()) {
            if (t.kind != NftTokenKind::word)
                return fail(fmt::format("{} needs a name", d.keyword));
            d.name = t.text;
            return;
        }
        if (d.keyword == "undefine" || (t.kind == NftTokenKind::end && d.depth == 0)) {
            if (t.kind != NftTokenKind::end)
                return fail(fmt::format("undefine {}: unexpected \"{}\"", d.name, t.text));
            finish_define();
            m_out.tokens.push_back(std::move(t)); // the statement end stays for the parser
            return;
        }
        if (!d.seen_equals) {
            if (!t.is("="))
                return fail(fmt::format("{} {}: expected \"=\"", d.keyword, d.name));
            d.seen_equals = true;
            return;
        }
        if (t.kind == NftTokenKind::open)
            ++d.depth;
        if (t.kind == NftTokenKind::close && --d.depth < 0)
            return fail(fmt::format("{} {}: unbalanced \"}}\"", d.keyword, d.name));
        if (t.kind == NftTokenKind::end)
            return; // a line end inside the value's braces
        d.value.push_back(std::move(t));
    }

    void finish_define()
    {
        auto d = std::move(*m_define);
        m_define.reset();
        if (d.keyword == "undefine") {
            if (!m_defines.erase(d.name))
                fail(fmt::format("undefine {}: it is not defined", d.name));
            return;
        }
        if (d.value.empty())
            return fail(fmt::format("{} {}: no value", d.keyword, d.name));
        if (d.keyword == "define" && m_defines.count(d.name))
            m_out.warnings.push_back({d.line, fmt::format("define {}: defined again (redefine says so)", d.name)});
        m_defines[d.name] = std::move(d.value);
    }

    std::string_view m_in;
    std::size_t m_pos = 0;
    int m_line = 1;
    NftTokens m_out;
    std::map<std::string, std::vector<NftToken>> m_defines;
    std::optional<Define> m_define;
};

} // namespace

NftTokens lex_nft(std::string_view content)
{
    return Lexer(content).run();
}

} // namespace natfw
