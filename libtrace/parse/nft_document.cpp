#include "parse/nft_document.hpp"

#include "util/number.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <utility>

namespace natfw {

namespace {

constexpr std::array k_families{"ip", "ip6", "inet", "arp", "bridge", "netdev"};

bool is_family(const NftToken& t)
{
    return t.kind == NftTokenKind::word && std::find(k_families.begin(), k_families.end(), t.text) != k_families.end();
}

/// Stateful objects a table may declare; none of them maps addresses.
constexpr std::array k_skipped_objects{"counter", "quota", "limit", "ct", "flowtable", "secmark", "synproxy", "tunnel"};

class Parser {
public:
    Parser(std::string_view content, std::vector<NftToken> tokens) : m_content(content), m_t(std::move(tokens)) {}

    void run(NftDocument& doc)
    {
        m_doc = &doc;
        while (!failed()) {
            skip_ends();
            if (at_end())
                break;
            command();
        }
    }

private:
    // --- tokens --------------------------------------------------------------
    bool at_end() const { return m_i >= m_t.size(); }
    bool failed() const { return m_doc->unusable.has_value(); }
    const NftToken& peek(std::size_t ahead = 0) const
    {
        static const NftToken k_none{NftTokenKind::end, "", 0, 0, 0};
        return m_i + ahead < m_t.size() ? m_t[m_i + ahead] : k_none;
    }
    int line() const { return at_end() ? (m_t.empty() ? 1 : m_t.back().line) : peek().line; }
    const NftToken& next() { return m_t[m_i++]; }
    void skip_ends()
    {
        while (!at_end() && peek().kind == NftTokenKind::end)
            ++m_i;
    }
    void fail(int at, std::string message)
    {
        if (!m_doc->unusable)
            m_doc->unusable = Diagnostic{at, std::move(message)};
    }
    void warn(int at, std::string message) { m_doc->warnings.push_back({at, std::move(message)}); }

    /// The next token, for messages.
    std::string found() const
    {
        if (at_end())
            return "the end of the file";
        if (peek().kind == NftTokenKind::end && peek().text != ";")
            return "the line end";
        return fmt::format("\"{}\"", peek().text);
    }

    /// A word, or a failure naming what was expected.
    std::optional<std::string> word(std::string_view what)
    {
        if (at_end() || (peek().kind != NftTokenKind::word && peek().kind != NftTokenKind::string)) {
            fail(line(), fmt::format("expected {}, found {}", what, found()));
            return std::nullopt;
        }
        return next().text;
    }

    bool expect(NftTokenKind kind, std::string_view text)
    {
        if (!at_end() && peek().kind == kind) {
            ++m_i;
            return true;
        }
        fail(line(), fmt::format("expected \"{}\", found {}", text, found()));
        return false;
    }

    /// The tokens up to the end of the statement: a `;` or line end outside
    /// braces, or the `}` that closes the enclosing block (left in place).
    /// Line ends inside braces (a set literal over several lines) are dropped.
    std::vector<NftToken> statement()
    {
        std::vector<NftToken> out;
        out.reserve(16);
        int depth = 0;
        while (!at_end()) {
            auto& t = m_t[m_i];
            if (depth == 0 && (t.kind == NftTokenKind::end || t.kind == NftTokenKind::close))
                break;
            ++m_i;
            if (t.kind == NftTokenKind::open)
                ++depth;
            else if (t.kind == NftTokenKind::close)
                --depth;
            else if (t.kind == NftTokenKind::end)
                continue;
            // Moved, not copied: the parser never reads a token it has passed.
            out.push_back(std::move(t));
        }
        if (depth > 0)
            fail(out.empty() ? line() : out.front().line, "a \"{\" is not closed");
        return out;
    }

    /// nft ends every item of a block with a line end or ";"; a "}" right after one is refused.
    void terminated()
    {
        if (!at_end() && peek().kind == NftTokenKind::close)
            fail(peek().line, "unexpected \"}\", expecting a line end or \";\"");
    }

    /// The statement's tokens with the file's text they came from.
    NftRule rule_of(std::vector<NftToken> tokens)
    {
        NftRule r;
        r.line = tokens.front().line;
        r.last_line = tokens.back().line;
        auto from = tokens.front().offset;
        auto to = tokens.back().offset + tokens.back().length;
        std::string text(m_content.substr(from, to - from));
        std::replace(text.begin(), text.end(), '\n', ' ');
        r.text = std::move(text);
        r.tokens = std::move(tokens);
        return r;
    }

    // --- commands ------------------------------------------------------------
    void command()
    {
        const auto& t = peek();
        int at = t.line;
        if (t.kind == NftTokenKind::close)
            return fail(at, "a \"}\" closes nothing");
        if (t.kind != NftTokenKind::word)
            return fail(at, fmt::format("unexpected \"{}\"", t.text));
        if (t.is("table"))
            return ++m_i, table_command();
        if (t.is("include")) {
            ++m_i;
            auto what = statement();
            warn(at, fmt::format("include {}: the included rules are not part of this snapshot, so not of its evidence",
                                 what.empty() ? std::string("(nothing)") : "\"" + what.front().text + "\""));
            return;
        }
        if (t.is("flush") && peek(1).is("ruleset")) {
            m_i += 2;
            if (m_doc->tables.empty() && !m_seen_command)
                m_doc->flushes_ruleset = true;
            m_doc->tables.clear();
            m_seen_command = true;
            return end_statement();
        }
        m_seen_command = true;
        if (t.is("add") || t.is("create") || t.is("insert") || t.is("delete") || t.is("destroy") || t.is("flush")) {
            auto verb = next().text;
            auto object = word("table, chain, rule, set, map or element");
            if (!object)
                return;
            return object_command(verb, *object, at);
        }
        fail(at, fmt::format("unknown command \"{}\"", t.text));
    }

    void end_statement()
    {
        if (!at_end() && peek().kind != NftTokenKind::end && peek().kind != NftTokenKind::close)
            fail(line(), fmt::format("unexpected {}", found()));
    }

    /// `[FAMILY] NAME`; the family is `ip` when left out.
    std::optional<std::pair<std::string, std::string>> family_and_name(std::string_view what)
    {
        std::string family = "ip";
        if (is_family(peek())) // family names are keywords to nft, never table names
            family = next().text;
        auto name = word(what);
        if (!name)
            return std::nullopt;
        return std::make_pair(family, *name);
    }

    NftTable& table_for(const std::string& family, const std::string& name, int at)
    {
        if (auto* existing = m_doc->table(family, name))
            return *existing;
        m_doc->tables.push_back(NftTable{family, name, at, {}, {}});
        return m_doc->tables.back();
    }

    NftTable* existing_table(const std::string& family, const std::string& name, int at)
    {
        auto* t = m_doc->table(family, name);
        if (!t)
            fail(at, fmt::format("table {} {} does not exist", family, name));
        return t;
    }

    void table_command()
    {
        int at = peek().line;
        auto id = family_and_name("a table name");
        if (!id)
            return;
        auto& table = table_for(id->first, id->second, at);
        if (!at_end() && peek().kind == NftTokenKind::open) {
            ++m_i;
            table_body(table_index(table));
        }
        end_statement();
    }

    std::size_t table_index(const NftTable& t) const { return static_cast<std::size_t>(&t - m_doc->tables.data()); }

    void object_command(const std::string& verb, const std::string& object, int at)
    {
        if (object == "table") {
            if (verb == "add" || verb == "create")
                return table_command();
            auto id = family_and_name("a table name");
            if (!id)
                return;
            if (verb == "flush") {
                if (auto* t = existing_table(id->first, id->second, at))
                    for (auto& c : t->chains)
                        c.rules.clear();
            } else {
                std::erase_if(m_doc->tables, [&](const NftTable& t) { return t.family == id->first && t.name == id->second; });
            }
            return end_statement();
        }
        auto id = family_and_name("a table name");
        if (!id)
            return;
        if (object == "chain" && (verb == "add" || verb == "create")) {
            auto* t = existing_table(id->first, id->second, at);
            auto name = word("a chain name");
            if (!t || !name)
                return;
            auto ti = table_index(*t);
            chain_for(ti, *name, at);
            if (!at_end() && peek().kind == NftTokenKind::open) {
                ++m_i;
                chain_body(ti, *name);
            }
            return end_statement();
        }
        if (object == "rule" && (verb == "add" || verb == "insert")) {
            auto* t = existing_table(id->first, id->second, at);
            auto name = word("a chain name");
            if (!t || !name)
                return;
            auto* c = t->chain(*name);
            if (!c)
                return fail(at, fmt::format("chain {} does not exist in table {} {}", *name, id->first, id->second));
            auto tokens = statement();
            if (!tokens.empty() && (tokens.front().is("position") || tokens.front().is("handle") || tokens.front().is("index")))
                warn(at, fmt::format("{} rule {}: placed at the chain's {}, not at {} {}", verb, *name,
                                     verb == "insert" ? "start" : "end", tokens.front().text,
                                     tokens.size() > 1 ? tokens[1].text : ""));
            if (tokens.size() >= 2 && (tokens.front().is("position") || tokens.front().is("handle") || tokens.front().is("index")))
                tokens.erase(tokens.begin(), tokens.begin() + 2);
            if (tokens.empty())
                return fail(at, fmt::format("{} rule {}: no rule", verb, *name));
            auto r = rule_of(std::move(tokens));
            if (verb == "insert")
                c->rules.insert(c->rules.begin(), std::move(r));
            else
                c->rules.push_back(std::move(r));
            return end_statement();
        }
        if ((object == "set" || object == "map") && (verb == "add" || verb == "create")) {
            auto* t = existing_table(id->first, id->second, at);
            auto name = word("a set name");
            if (!t || !name)
                return;
            auto ti = table_index(*t);
            set_for(ti, *name, object == "map", at);
            if (expect(NftTokenKind::open, "{"))
                set_body(ti, *name);
            return end_statement();
        }
        if (object == "element" && verb == "add") {
            auto* t = existing_table(id->first, id->second, at);
            auto name = word("a set name");
            if (!t || !name)
                return;
            auto* s = t->set(*name);
            if (!s)
                return fail(at, fmt::format("set {} does not exist in table {} {}", *name, id->first, id->second));
            if (expect(NftTokenKind::open, "{"))
                elements(m_doc->tables[table_index(*t)].set(*name)->elements);
            return end_statement();
        }
        // Deleting a chain, rule or element by handle: what it removed is not in the file.
        warn(at, fmt::format("{} {}: not followed; the rules read may include what it removes", verb, object));
        statement();
    }

    // --- blocks ----------------------------------------------------------------
    void chain_for(std::size_t table, const std::string& name, int at)
    {
        auto& t = m_doc->tables[table];
        if (!t.chain(name))
            t.chains.push_back(NftChain{name, at, {}, {}, {}, {}, {}});
    }

    void set_for(std::size_t table, const std::string& name, bool map, int at)
    {
        auto& t = m_doc->tables[table];
        if (!t.set(name))
            t.sets.push_back(NftSet{name, map, at, {}, {}, {}});
    }

    void table_body(std::size_t table)
    {
        while (!failed()) {
            skip_ends();
            if (at_end())
                return fail(m_doc->tables[table].line, fmt::format("table {} is not closed", m_doc->tables[table].name));
            if (peek().kind == NftTokenKind::close) {
                ++m_i;
                return;
            }
            int at = peek().line;
            if (peek().is("chain") || peek().is("set") || peek().is("map")) {
                auto kind = next().text;
                auto name = word(kind == "chain" ? "a chain name" : "a set name");
                if (!name || !expect(NftTokenKind::open, "{"))
                    return;
                if (kind == "chain") {
                    chain_for(table, *name, at);
                    chain_body(table, *name);
                } else {
                    set_for(table, *name, kind == "map", at);
                    set_body(table, *name);
                }
                terminated();
                continue;
            }
            if (peek().is("flags") || peek().is("comment")) {
                statement();
                terminated();
                continue;
            }
            if (peek().kind == NftTokenKind::word &&
                std::find(k_skipped_objects.begin(), k_skipped_objects.end(), peek().text) != k_skipped_objects.end()) {
                statement(); // its braces are taken with it
                terminated();
                continue;
            }
            return fail(at, fmt::format("unexpected \"{}\" in table {}", peek().text, m_doc->tables[table].name));
        }
    }

    void chain_body(std::size_t table, const std::string& name)
    {
        int opened = line();
        while (!failed()) {
            skip_ends();
            if (at_end())
                return fail(opened, fmt::format("chain {} is not closed", name));
            if (peek().kind == NftTokenKind::close) {
                ++m_i;
                return;
            }
            int at = peek().line;
            auto tokens = statement();
            if (failed() || tokens.empty())
                continue;
            terminated();
            auto& chain = *m_doc->tables[table].chain(name);
            const auto& first = tokens.front();
            if (first.is("type"))
                base_chain(chain, tokens, at);
            else if (first.is("policy") || first.is("comment") || first.is("devices") || first.is("device"))
                continue;
            else
                chain.rules.push_back(rule_of(std::move(tokens)));
        }
    }

    /// `type nat hook postrouting [device X] priority srcnat [- 10]`.
    void base_chain(NftChain& chain, const std::vector<NftToken>& tokens, int at)
    {
        std::size_t i = 1;
        auto take = [&] { return i < tokens.size() ? tokens[i++].text : std::string(); };
        chain.type = take();
        if (take() != "hook")
            return fail(at, fmt::format("chain {}: expected \"hook\" after its type", chain.name));
        chain.hook = take();
        while (i < tokens.size() && !tokens[i].is("priority"))
            ++i; // device NAME, devices = { ... }
        if (i == tokens.size())
            return fail(at, fmt::format("chain {}: a base chain needs a priority", chain.name));
        ++i;
        std::string text;
        for (; i < tokens.size(); ++i)
            text += (text.empty() ? "" : " ") + tokens[i].text;
        chain.priority_text = text;
        chain.priority = nft_priority_value(text);
        if (!chain.priority)
            fail(at, fmt::format("chain {}: priority \"{}\" does not read", chain.name, text));
    }

    void set_body(std::size_t table, const std::string& name)
    {
        int opened = line();
        while (!failed()) {
            skip_ends();
            if (at_end())
                return fail(opened, fmt::format("set {} is not closed", name));
            if (peek().kind == NftTokenKind::close) {
                ++m_i;
                return;
            }
            auto& set = *m_doc->tables[table].set(name);
            if (peek().is("elements")) {
                ++m_i;
                if (!peek().is("=")) {
                    fail(line(), fmt::format("set {}: expected \"=\" after elements", name));
                    return;
                }
                ++m_i;
                if (expect(NftTokenKind::open, "{"))
                    elements(set.elements);
                continue;
            }
            auto tokens = statement();
            if (failed() || tokens.empty())
                continue;
            terminated();
            if (tokens.front().is("type") || tokens.front().is("typeof"))
                set.type.assign(tokens.begin() + 1, tokens.end());
            else if (tokens.front().is("flags"))
                for (auto it = tokens.begin() + 1; it != tokens.end(); ++it)
                    if (it->kind == NftTokenKind::word)
                        set.flags.push_back(it->text);
        }
    }

    /// Elements up to the closing brace, split at the commas outside nested braces.
    void elements(std::vector<std::vector<NftToken>>& out)
    {
        int opened = line();
        std::vector<NftToken> current;
        int depth = 0;
        while (!at_end()) {
            const auto& t = next();
            if (t.kind == NftTokenKind::end)
                continue;
            if (depth == 0 && (t.kind == NftTokenKind::comma || t.kind == NftTokenKind::close)) {
                if (!current.empty())
                    out.push_back(std::move(current));
                current.clear();
                if (t.kind == NftTokenKind::close)
                    return;
                continue;
            }
            if (t.kind == NftTokenKind::open)
                ++depth;
            else if (t.kind == NftTokenKind::close)
                --depth;
            current.push_back(t);
        }
        fail(opened, "a set's elements are not closed with \"}\"");
    }

    std::string_view m_content;
    std::vector<NftToken> m_t;
    std::size_t m_i = 0;
    NftDocument* m_doc = nullptr;
    bool m_seen_command = false;
};

} // namespace

const NftChain* NftTable::chain(std::string_view chain_name) const
{
    auto it = std::find_if(chains.begin(), chains.end(), [&](const NftChain& c) { return c.name == chain_name; });
    return it == chains.end() ? nullptr : &*it;
}

NftChain* NftTable::chain(std::string_view chain_name)
{
    return const_cast<NftChain*>(std::as_const(*this).chain(chain_name));
}

const NftSet* NftTable::set(std::string_view set_name) const
{
    auto it = std::find_if(sets.begin(), sets.end(), [&](const NftSet& s) { return s.name == set_name; });
    return it == sets.end() ? nullptr : &*it;
}

NftSet* NftTable::set(std::string_view set_name) { return const_cast<NftSet*>(std::as_const(*this).set(set_name)); }

const NftTable* NftDocument::table(std::string_view family, std::string_view name) const
{
    auto it = std::find_if(tables.begin(), tables.end(),
                           [&](const NftTable& t) { return t.family == family && t.name == name; });
    return it == tables.end() ? nullptr : &*it;
}

NftTable* NftDocument::table(std::string_view family, std::string_view name)
{
    return const_cast<NftTable*>(std::as_const(*this).table(family, name));
}

std::optional<int> nft_priority_value(std::string_view text)
{
    std::string compact;
    for (char c : text)
        if (c != ' ')
            compact += c;
    static constexpr std::array<std::pair<std::string_view, int>, 6> k_named{{
        {"raw", -300}, {"mangle", -150}, {"dstnat", -100}, {"filter", 0}, {"security", 50}, {"srcnat", 100}}};
    int base = 0;
    std::string_view rest = compact;
    if (!rest.empty() && rest.front() >= 'a' && rest.front() <= 'z') {
        auto named = std::find_if(k_named.begin(), k_named.end(), [&](const auto& n) { return rest.starts_with(n.first); });
        if (named == k_named.end())
            return std::nullopt;
        base = named->second;
        rest.remove_prefix(named->first.size());
        if (rest.empty())
            return base;
        if (rest.front() != '+' && rest.front() != '-')
            return std::nullopt;
    }
    bool negative = !rest.empty() && rest.front() == '-';
    if (!rest.empty() && (rest.front() == '+' || rest.front() == '-'))
        rest.remove_prefix(1);
    auto n = parse_decimal<int>(rest, 0, 1'000'000);
    if (!n)
        return std::nullopt;
    return base + (negative ? -*n : *n);
}

NftDocument parse_nft_document(std::string_view content)
{
    NftDocument doc;
    auto lexed = lex_nft(content);
    doc.warnings = std::move(lexed.warnings);
    if (lexed.unusable) {
        doc.unusable = std::move(lexed.unusable);
        return doc;
    }
    Parser(content, std::move(lexed.tokens)).run(doc);
    return doc;
}

} // namespace natfw
