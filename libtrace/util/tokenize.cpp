#include "util/tokenize.hpp"

namespace natfw {

namespace {
// Plain comparisons: string_view's find_first_of calls memchr once per character.
bool blank(char c) { return c == ' ' || c == '\t'; }
bool quote(char c) { return c == '"' || c == '\''; }
} // namespace

Tokens tokenize(std::string_view line)
{
    Tokens out;
    out.tokens.reserve(16); // a rule line has a dozen or two words: one allocation, not five
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && blank(line[i]))
            ++i;
        if (i == line.size())
            break;
        Token tok;
        while (i < line.size() && !blank(line[i])) {
            char c = line[i];
            if (!quote(c)) {
                // Unquoted characters up to the next blank or quote, copied at once.
                std::size_t end = i;
                while (end < line.size() && !blank(line[end]) && !quote(line[end]))
                    ++end;
                tok.text.append(line.substr(i, end - i));
                i = end;
                continue;
            }
            tok.quoted = true;
            ++i;
            bool closed = false;
            while (i < line.size()) {
                if (line[i] == '\\' && i + 1 < line.size()) {
                    tok.text += line[i + 1];
                    i += 2;
                } else if (line[i] == c) {
                    closed = true;
                    ++i;
                    break;
                } else {
                    tok.text += line[i++];
                }
            }
            if (!closed)
                out.ok = false;
        }
        out.tokens.push_back(std::move(tok));
    }
    return out;
}

} // namespace natfw
