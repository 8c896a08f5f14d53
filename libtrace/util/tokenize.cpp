#include "util/tokenize.hpp"

namespace natfw {

Tokens tokenize(std::string_view line)
{
    Tokens out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size())
            break;
        Token tok;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t') {
            char c = line[i];
            if (c == '"' || c == '\'') {
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
            } else {
                tok.text += c;
                ++i;
            }
        }
        out.tokens.push_back(std::move(tok));
    }
    return out;
}

} // namespace natfw
