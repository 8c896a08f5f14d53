#include "parse/xarf_reader.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cerrno>
#include <cstring>
#include <iterator>
#include <optional>

namespace natfw {

namespace {

using json = nlohmann::json;

/// The input, read in blocks, with the line of the last character consumed.
/// The last character consumed can be given back: a report cut short is
/// found when the parser reads the `{` that begins the next line.
class Source {
public:
    explicit Source(std::FILE* f) : m_file(f) {}

    int peek()
    {
        if (m_pos == m_len && !fill())
            return EOF;
        return static_cast<unsigned char>(m_buf[m_pos]);
    }
    void advance()
    {
        if (peek() == EOF)
            return;
        m_last_at_line_start = m_line_start;
        m_line_start = m_buf[m_pos++] == '\n';
        m_line += m_line_start;
    }
    std::size_t line() const { return m_line; }
    bool at_line_start() const { return m_line_start; }

    /// The last character consumed, when it began a line and was `{` or `[`.
    bool last_began_line_with_bracket() const
    {
        return m_pos > 0 && m_last_at_line_start && (m_buf[m_pos - 1] == '{' || m_buf[m_pos - 1] == '[');
    }
    /// Gives that character back (see last_began_line_with_bracket).
    void unget()
    {
        --m_pos;
        m_line_start = true;
    }

private:
    bool fill()
    {
        // The last byte stays in front, so that unget() works across blocks.
        const bool keep = m_len > 0;
        if (keep)
            m_buf[0] = m_buf[m_len - 1];
        m_pos = keep ? 1 : 0;
        m_len = m_pos + std::fread(m_buf.data() + m_pos, 1, m_buf.size() - m_pos, m_file);
        if (m_len == m_pos && std::ferror(m_file))
            throw UsageError(fmt::format("cannot read the XARF input: {}", std::strerror(errno)));
        return m_len > m_pos;
    }

    std::FILE* m_file;
    std::array<char, 1 << 16> m_buf{};
    std::size_t m_pos = 0, m_len = 0, m_line = 1;
    bool m_line_start = true, m_last_at_line_start = true;
};

/// What nlohmann's parser reads from: the shared Source, so that the input
/// is consumed up to the end of one value and the next parse goes on from there.
struct SourceIterator {
    using iterator_category = std::input_iterator_tag;
    using value_type = char;
    using difference_type = std::ptrdiff_t;
    using pointer = const char*;
    using reference = char;

    Source* source = nullptr; ///< null: the end
    char operator*() const { return static_cast<char>(source->peek()); }
    SourceIterator& operator++()
    {
        source->advance();
        return *this;
    }
    bool at_end() const { return !source || source->peek() == EOF; }
    bool operator==(const SourceIterator& o) const { return at_end() == o.at_end(); }
};

bool is_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// The report's own fields a trace reads, by their XARF names.
struct Field {
    const char* name;
    std::string XarfReport::*member;
};
constexpr Field k_fields[] = {
    {"report_id", &XarfReport::report_id},     {"source_identifier", &XarfReport::source_identifier},
    {"source_port", &XarfReport::source_port}, {"protocol", &XarfReport::protocol},
    {"timestamp", &XarfReport::timestamp},     {"first_seen", &XarfReport::first_seen},
    {"last_seen", &XarfReport::last_seen},
};

/// Keeps the fields of each report as nlohmann's parser reports them. A
/// report is an object at the top level or an element of a top-level array.
class ReportSax {
public:
    ReportSax(Source& source, std::size_t& number, const std::function<void(XarfReport&)>& emit)
        : m_source(source), m_number(number), m_emit(emit)
    {
    }

    /// Before each top-level value.
    void restart()
    {
        m_depth = 0;
        m_report_depth = 0;
        m_in_report = false;
        m_field = nullptr;
    }
    bool in_report() const { return m_in_report; }
    XarfReport& report() { return m_report; }
    const std::string& error() const { return m_error; }

    bool null()
    {
        if (field_here())
            take(std::string());
        return scalar("null");
    }
    bool boolean(bool) { return wrong_type("true or false"); }
    bool number_integer(json::number_integer_t v) { return number(std::to_string(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return number(std::to_string(v)); }
    bool number_float(json::number_float_t, const std::string& raw) { return number(raw); }
    bool string(std::string& v)
    {
        if (field_here()) {
            if (m_field == &m_report.source_port && v.empty())
                m_report.error = "source_port is an empty text";
            take(std::move(v));
        }
        return scalar("a text");
    }
    bool binary(json::binary_t&) { return wrong_type("binary"); }
    bool start_object(std::size_t)
    {
        if (m_depth == m_report_depth) {
            m_report = XarfReport{};
            m_report.number = ++m_number;
            m_report.line = m_source.line();
            m_in_report = true;
        } else if (field_here()) {
            wrong_type("an object");
        }
        ++m_depth;
        return true;
    }
    bool key(std::string& k)
    {
        if (m_in_report && m_depth == m_report_depth + 1)
            m_field = field_named(k);
        return true;
    }
    bool end_object()
    {
        --m_depth;
        if (m_in_report && m_depth == m_report_depth) {
            m_in_report = false;
            m_emit(m_report);
        }
        return true;
    }
    bool start_array(std::size_t)
    {
        if (m_depth == 0) {
            m_report_depth = 1; // a top-level array: the reports are its elements
        } else if (m_depth == m_report_depth) {
            not_a_report("an array");
        } else if (field_here()) {
            wrong_type("an array");
        }
        ++m_depth;
        return true;
    }
    bool end_array()
    {
        --m_depth;
        return true;
    }
    bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e)
    {
        // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..."
        std::string what = e.what();
        auto colon = what.find(": ");
        m_error = colon == std::string::npos ? what : what.substr(colon + 2);
        return false;
    }

private:
    /// Whether a value now is the value of a field we keep.
    bool field_here() const { return m_in_report && m_depth == m_report_depth + 1 && m_field; }

    std::string* field_named(const std::string& k)
    {
        for (const auto& f : k_fields)
            if (k == f.name)
                return &(m_report.*f.member);
        return nullptr;
    }

    void take(std::string v)
    {
        *m_field = std::move(v);
        m_field = nullptr;
    }

    bool number(std::string text)
    {
        if (field_here()) {
            if (m_field == &m_report.source_identifier) {
                wrong_type("a number");
            } else {
                const bool time = m_field == &m_report.timestamp || m_field == &m_report.first_seen ||
                                  m_field == &m_report.last_seen;
                take(time ? "@" + text : text); // a number for a time: UNIX seconds
            }
        }
        return scalar("a number");
    }

    /// A scalar where a report belongs (the top level, or an array's element).
    bool scalar(const char* what)
    {
        if (m_depth == m_report_depth)
            not_a_report(what);
        return true;
    }

    void not_a_report(const char* what)
    {
        XarfReport r;
        r.number = ++m_number;
        r.line = m_source.line();
        r.error = fmt::format("{} where a report (a JSON object) belongs", what);
        m_emit(r);
    }

    bool wrong_type(const char* what)
    {
        if (field_here()) {
            for (const auto& f : k_fields)
                if (&(m_report.*f.member) == m_field && m_report.error.empty())
                    m_report.error = fmt::format("{} is {}", f.name, what);
            m_field = nullptr;
            return true;
        }
        return scalar(what);
    }

    Source& m_source;
    std::size_t& m_number;
    const std::function<void(XarfReport&)>& m_emit;
    XarfReport m_report;
    std::string* m_field = nullptr;
    std::string m_error;
    int m_depth = 0, m_report_depth = 0;
    bool m_in_report = false;
};

void skip_space(Source& s)
{
    while (is_space(s.peek()))
        s.advance();
}

/// After a syntax error: on to the next line that starts with `{` or `[`
/// (a JSON line, or the next top-level value of a pretty-printed file).
void resync(Source& s)
{
    if (!s.at_line_start())
        while (s.peek() != EOF && s.peek() != '\n')
            s.advance();
    while (s.peek() != EOF) {
        if (s.at_line_start() && (s.peek() == '{' || s.peek() == '['))
            return;
        s.advance();
    }
}

} // namespace

XarfReadSummary read_xarf(std::FILE* in, const std::function<void(XarfReport&)>& on_report)
{
    Source source(in);
    // A UTF-8 byte order mark, as some tools write before JSON.
    if (source.peek() == 0xEF) {
        for (int i = 0; i < 3; ++i)
            source.advance();
    }
    skip_space(source);
    if (source.peek() == EOF)
        throw UsageError("the XARF input is empty: it needs a report (a JSON object), an array of them or JSON lines");
    if (source.peek() != '{' && source.peek() != '[')
        throw UsageError(fmt::format("the XARF input does not begin with a JSON object or array (line {} begins "
                                     "with '{}')",
                                     source.line(), static_cast<char>(source.peek())));
    XarfReadSummary sum;
    ReportSax sax(source, sum.reports, on_report);
    for (;;) {
        skip_space(source);
        if (source.peek() == EOF)
            break;
        const std::size_t line = source.line();
        sax.restart();
        std::string error;
        if (source.peek() != '{' && source.peek() != '[') {
            error = fmt::format("'{}' where a report (a JSON object) or an array of them belongs",
                                static_cast<char>(source.peek()));
        } else if (!json::sax_parse(SourceIterator{&source}, SourceIterator{}, &sax, json::input_format_t::json,
                                    false)) {
            error = "not valid JSON: " + sax.error();
        } else {
            continue;
        }
        // The parser stops on the character it cannot take; a line end belongs to the line it ends.
        const std::size_t error_line = source.line() - (source.at_line_start() && source.line() > line ? 1 : 0);
        XarfReport r;
        if (sax.in_report()) {
            r = sax.report(); // the report the error is in, with what was read of it
        } else {
            r.number = ++sum.reports;
            r.line = error_line; // between an array's reports: where the error is
        }
        if (error_line > r.line && source.last_began_line_with_bracket()) {
            // A JSON line cut short: the parser went on into the next line, which begins a report.
            source.unget();
            r.error = fmt::format("{}: a report cut short (it never closes); reading goes on at line {}",
                                  r.line + 1 == error_line ? fmt::format("line {}", r.line)
                                                           : fmt::format("lines {} to {}", r.line, error_line - 1),
                                  error_line);
            on_report(r);
            continue;
        }
        resync(source);
        const bool at_end = source.peek() == EOF;
        if (!at_end && source.line() > error_line + 1)
            sum.skipped_lines += source.line() - error_line - 1;
        r.error = fmt::format("line {}: {}; {}", error_line, error,
                              at_end ? std::string("nothing after it could be read")
                                     : fmt::format("reading goes on at line {}, the next that starts with {{ or [",
                                                   source.line()));
        on_report(r);
    }
    return sum;
}

} // namespace natfw
