#include "util/tokenize.hpp"

namespace natfw {

namespace {
constexpr std::string_view k_blanks = " \t";
}

Tokens tokenize(std::string_view line)
{
    Tokens out;
    out.tokens.reserve(16); // a rule line has a dozen or two words: one allocation, not five
    std::size_t i = 0;
    while (i < line.size()) {
        i = line.find_first_not_of(k_blanks, i);
        if (i == std::string_view::npos)
            break;
        Token tok;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            char c = line[i];
            if (c != '"' && c != '\'') {
                // Unquoted characters up to the next blank or quote, copied at once.
                std::size_t end = line.find_first_of(" \t\"'", i);
                if (end == std::string_view::npos)
                    end = line.size();
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
