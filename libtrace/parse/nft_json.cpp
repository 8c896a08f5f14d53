#include "parse/nft_json.hpp"

#include "parse/nft_json_text.hpp"
#include "parse/nft_lexer.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cstdint>

namespace natfw {

namespace {

using nlohmann::json;

/// Objects a listed ruleset may hold that map no address.
constexpr std::array<std::string_view, 10> k_ignored{"metainfo", "flowtable", "counter",  "quota",   "limit",
                                                     "secmark",  "synproxy",  "ct helper", "ct timeout",
                                                     "ct expectation"};
/// What `nft -j -f` takes as input; a listing holds none of them.
constexpr std::array<std::string_view, 7> k_commands{"add", "create", "insert", "replace", "delete", "destroy", "flush"};
/// iptables-nft targets that map addresses; nft -j prints them without what they map to.
constexpr std::array<std::string_view, 5> k_xt_nat{"SNAT", "MASQUERADE", "DNAT", "REDIRECT", "NETMAP"};

template <std::size_t N>
bool one_of(const std::array<std::string_view, N>& list, std::string_view key)
{
    return std::find(list.begin(), list.end(), key) != list.end();
}

/// The line each item of the top-level "nftables" array starts on. nlohmann
/// keeps no positions, and a line is what evidence cites, so the text is
/// walked once for the objects and arrays that open at depth 2.
std::vector<int> item_lines(std::string_view content)
{
    std::vector<int> lines;
    int line = 1, depth = 0;
    bool in_string = false, escaped = false;
    for (char c : content) {
        if (c == '\n')
            ++line;
        if (in_string) {
            if (escaped)
                escaped = false;
            else if (c == '\\')
                escaped = true;
            else if (c == '"')
                in_string = false;
            continue;
        }
        if (c == '"')
            in_string = true;
        else if (c == '{' || c == '[') {
            if (depth == 2)
                lines.push_back(line);
            ++depth;
        } else if (c == '}' || c == ']')
            --depth;
    }
    return lines;
}

int line_of_byte(std::string_view content, std::size_t byte)
{
    byte = std::min(byte, content.size());
    return 1 + static_cast<int>(std::count(content.begin(), content.begin() + static_cast<std::ptrdiff_t>(byte), '\n'));
}

std::string text_of(const json& j, std::string_view key)
{
    auto it = j.find(key);
    if (it == j.end())
        return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

/// Tokens of rendered text, placed on the item's line.
std::optional<std::vector<NftToken>> tokens_of(const std::string& text, int line, std::string& why)
{
    auto lexed = lex_nft(text);
    if (lexed.unusable) {
        why = lexed.unusable->message;
        return std::nullopt;
    }
    std::vector<NftToken> out;
    for (auto& t : lexed.tokens)
        if (t.kind != NftTokenKind::end) {
            t.line = line;
            t.offset = 0;
            t.length = 0;
            out.push_back(std::move(t));
        }
    return out;
}

class JsonReader {
public:
    explicit JsonReader(NftDocument& doc) : m_doc(doc) {}

    void item(const json& object, int line)
    {
        if (failed())
            return;
        if (!object.is_object() || object.size() != 1)
            return fail(line, "an item of \"nftables\" is not an object with one key");
        auto first = object.begin();
        const std::string& key = first.key();
        const json& body = first.value();
        if (one_of(k_commands, key))
            return fail(line, fmt::format("\"{}\" is an nft -j command, not what nft -j list ruleset prints; index "
                                          "the listed ruleset",
                                          key));
        if (!body.is_object())
            return fail(line, fmt::format("\"{}\" is not an object", key));
        if (key == "table")
            return table(body, line);
        if (key == "chain")
            return chain(body, line);
        if (key == "set" || key == "map")
            return set(body, key == "map", line);
        if (key == "rule")
            return rule(body, line);
        if (!one_of(k_ignored, key))
            m_doc.warnings.push_back({line, fmt::format("\"{}\" objects are not read; ignored", key)});
    }

private:
    bool failed() const { return m_doc.unusable.has_value(); }
    void fail(int line, std::string message)
    {
        if (!m_doc.unusable)
            m_doc.unusable = Diagnostic{line, std::move(message)};
    }

    void table(const json& body, int line)
    {
        auto family = text_of(body, "family"), name = text_of(body, "name");
        if (family.empty() || name.empty())
            return fail(line, "a table without family or name");
        if (!m_doc.table(family, name))
            m_doc.tables.push_back({family, name, line, {}, {}});
    }

    NftTable* owner(const json& body, int line, std::string_view what)
    {
        auto family = text_of(body, "family"), name = text_of(body, "table");
        auto* t = m_doc.table(family, name);
        if (!t)
            fail(line, fmt::format("{} of table {} {}, which the file does not list", what, family, name));
        return t;
    }

    void chain(const json& body, int line)
    {
        auto name = text_of(body, "name");
        auto* t = owner(body, line, fmt::format("chain {}", name));
        if (!t)
            return;
        if (t->chain(name))
            return fail(line, fmt::format("chain {} is listed twice in table {} {}", name, t->family, t->name));
        NftChain c;
        c.name = name;
        c.line = line;
        c.type = text_of(body, "type");
        c.hook = text_of(body, "hook");
        if (!c.hook.empty()) {
            auto prio = body.find("prio");
            if (prio == body.end() || !prio->is_number_integer() || prio->get<long long>() < INT32_MIN ||
                prio->get<long long>() > INT32_MAX)
                return fail(line, fmt::format("base chain {} has no numeric \"prio\"", name));
            c.priority = prio->get<int>();
            c.priority_text = std::to_string(*c.priority);
        }
        t->chains.push_back(std::move(c));
    }

    void set(const json& body, bool is_map, int line)
    {
        auto name = text_of(body, "name");
        auto* t = owner(body, line, fmt::format("{} {}", is_map ? "map" : "set", name));
        if (!t)
            return;
        NftSet s;
        s.name = name;
        s.map = is_map;
        s.line = line;
        auto type = nft_json_value(body.value("type", json()));
        if (is_map)
            type += " : " + nft_json_value(body.value("map", json()));
        std::string why;
        auto type_tokens = tokens_of(type, line, why);
        if (!type_tokens)
            return fail(line, fmt::format("{} {}: {}", is_map ? "map" : "set", name, why));
        s.type = std::move(*type_tokens);
        if (auto flags = body.find("flags"); flags != body.end())
            for (const auto& f : flags->is_array() ? *flags : json::array({*flags}))
                s.flags.push_back(nft_json_value(f));
        for (const auto& e : body.value("elem", json::array())) {
            auto text = e.is_array() && e.size() == 2 ? nft_json_value(e[0]) + " : " + nft_json_value(e[1])
                                                      : nft_json_value(e);
            auto element = tokens_of(text, line, why);
            if (!element)
                return fail(line, fmt::format("{} {}: element {}: {}", is_map ? "map" : "set", name, text, why));
            s.elements.push_back(std::move(*element));
        }
        t->sets.push_back(std::move(s));
    }

    void rule(const json& body, int line)
    {
        auto chain_name = text_of(body, "chain");
        auto* t = owner(body, line, fmt::format("a rule of chain {}", chain_name));
        if (!t)
            return;
        auto* c = t->chain(chain_name);
        if (!c)
            return fail(line, fmt::format("a rule of chain {}, which table {} {} does not list", chain_name,
                                          t->family, t->name));
        auto handle = text_of(body, "handle");
        std::string text;
        for (const auto& statement : body.value("expr", json::array())) {
            if (auto xt = statement.find("xt"); xt != statement.end() && xt->is_object() &&
                                                xt->value("type", std::string()) == "target" &&
                                                one_of(k_xt_nat, xt->value("name", std::string())))
                return fail(line, fmt::format("the rule with handle {} in {} {} {} is iptables-nft's {} target, which "
                                              "nft -j prints without its address and ports; index what nft list "
                                              "ruleset or iptables-save prints instead",
                                              handle, t->family, t->name, chain_name, xt->value("name", std::string())));
            text += (text.empty() ? "" : " ") + nft_json_statement(statement);
        }
        std::string why;
        auto tokens = tokens_of(text, line, why);
        if (!tokens)
            return fail(line, fmt::format("the rule with handle {}: {}", handle, why));
        NftRule r;
        r.line = r.last_line = line;
        r.tokens = std::move(*tokens);
        r.text = text;
        if (body.contains("comment"))
            r.text += fmt::format(" comment \"{}\"", text_of(body, "comment"));
        if (!handle.empty())
            r.text += " # handle " + handle; // as `nft -a list ruleset` shows it
        c->rules.push_back(std::move(r));
    }

    NftDocument& m_doc;
};

} // namespace

NftDocument parse_nft_json(std::string_view content)
{
    NftDocument doc;
    json root;
    try {
        root = json::parse(content);
    } catch (const json::parse_error& e) {
        std::string what = e.what();
        if (auto at = what.find("] "); at != std::string::npos)
            what.erase(0, at + 2);
        doc.unusable = Diagnostic{line_of_byte(content, e.byte == 0 ? 0 : e.byte - 1), "not valid JSON: " + what};
        return doc;
    } catch (const json::exception& e) { // a number out of range: valid JSON that no ruleset holds
        std::string what = e.what();
        if (auto at = what.find("] "); at != std::string::npos)
            what.erase(0, at + 2);
        doc.unusable = Diagnostic{1, "not the JSON nft -j list ruleset prints: " + what};
        return doc;
    }
    if (!root.is_object() || !root.contains("nftables") || !root["nftables"].is_array()) {
        doc.unusable = Diagnostic{1, "JSON, but not an nft ruleset: nft -j list ruleset prints an object with an "
                                     "\"nftables\" array"};
        return doc;
    }
    const auto& items = root["nftables"];
    auto lines = item_lines(content);
    // Lines from the walk hold only when it saw exactly the array's items.
    bool lines_hold = root.size() == 1 && lines.size() == items.size();
    JsonReader reader(doc);
    for (std::size_t i = 0; i < items.size() && !doc.unusable; ++i) {
        int line = lines_hold ? lines[i] : 1;
        try {
            reader.item(items[i], line);
        } catch (const json::exception& e) { // a field of the wrong JSON type
            std::string what = e.what();
            if (auto at = what.find("] "); at != std::string::npos)
                what.erase(0, at + 2);
            doc.unusable = Diagnostic{line, "not the JSON nft -j list ruleset prints: " + what};
        }
    }
    return doc;
}

} // namespace natfw
