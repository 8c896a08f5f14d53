#include "util/csv.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace natfw {

namespace {

char sniff_delimiter(std::string_view text)
{
    std::size_t commas = 0, semicolons = 0, tabs = 0;
    bool quoted = false;
    for (char c : text) {
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted)
            commas += c == ',', semicolons += c == ';', tabs += c == '\t';
    }
    if (semicolons > commas && semicolons >= tabs)
        return ';';
    if (tabs > commas && tabs > semicolons)
        return '\t';
    return ',';
}

} // namespace

CsvReader::CsvReader(std::FILE* in, char delimiter, std::size_t chunk)
    : m_in(in), m_delimiter(delimiter), m_chunk(chunk), m_buf(chunk + 1, '\0')
{
}

bool CsvReader::refill()
{
    if (m_eof)
        return false;
    std::size_t rest = m_end - m_pos;
    std::memmove(m_buf.data(), m_buf.data() + m_pos, rest);
    m_pos = 0;
    m_end = rest;
    // One byte stays spare for the sentinel that ends every scan.
    if (m_buf.size() - 1 - m_end < m_chunk)
        m_buf.resize(m_end + m_chunk + 1); // a record longer than a chunk
    std::size_t room = m_buf.size() - 1 - m_end;
    std::size_t n = std::fread(m_buf.data() + m_end, 1, room, m_in);
    if (n < room) {
        if (std::ferror(m_in))
            throw FileError(fmt::format("cannot read the CSV input: {}", std::strerror(errno)));
        m_eof = true;
    }
    m_end += n;
    m_buf[m_end] = '\n';
    if (!m_started) {
        // The BOM and the delimiter are judged on the whole first line.
        if (!m_eof && std::memchr(m_buf.data(), '\n', m_end) == nullptr)
            return refill();
        m_started = true;
        if (std::string_view(m_buf.data(), m_end).substr(0, 3) == "\xEF\xBB\xBF")
            m_pos = 3;
        if (!m_delimiter)
            m_delimiter = sniff_delimiter(std::string_view(m_buf.data() + m_pos, m_end - m_pos));
        for (unsigned char c : {static_cast<unsigned char>(m_delimiter), static_cast<unsigned char>('"'),
                                static_cast<unsigned char>('\n'), static_cast<unsigned char>('\r')})
            m_stop[c] = true;
    }
    return true;
}

std::size_t CsvReader::quoted_cell(std::size_t p, std::size_t& unescaped, std::vector<std::string_view>& cells)
{
    // Up to the closing quote; "" is a quote; then raw text up to the
    // delimiter or line end is kept too (lenient).
    const char* buf = m_buf.data();
    std::size_t q = p + 1;
    bool escaped = false;
    std::size_t close = std::string::npos;
    while (q < m_end) {
        const void* hit = std::memchr(buf + q, '"', m_end - q);
        if (!hit)
            break;
        q = static_cast<std::size_t>(static_cast<const char*>(hit) - buf);
        if (q + 1 < m_end && buf[q + 1] == '"') {
            escaped = true;
            q += 2;
            continue;
        }
        if (q + 1 == m_end && !m_eof)
            return k_need_more; // the next byte may be a second quote
        close = q;
        break;
    }
    if (close == std::string::npos && !m_eof)
        return k_need_more;
    if (close == std::string::npos) {
        // Open to the end of the input: taking it all would swallow every
        // later row. The record ends with the line the quote opened on; the
        // lines after it are read again as records.
        std::size_t line_end = p + 1;
        while (line_end < m_end && buf[line_end] != '\n' && buf[line_end] != '\r')
            ++line_end;
        m_well_formed = false;
        m_unterminated = true;
        cells.emplace_back(buf + p + 1, line_end - p - 1);
        return line_end;
    }
    std::size_t content_end = close;
    std::size_t after = close + 1;
    std::size_t tail = after;
    while (tail < m_end && buf[tail] != m_delimiter && buf[tail] != '\n' && buf[tail] != '\r')
        ++tail;
    if (tail == m_end && !m_eof)
        return k_need_more;
    std::string_view raw(buf + p + 1, content_end - p - 1);
    if (tail != after)
        m_well_formed = false;
    if (!escaped && tail == after) {
        cells.push_back(raw); // the common case: a view into the buffer
        return tail;
    }
    if (unescaped == m_unescaped.size())
        m_unescaped.emplace_back();
    std::string& out = m_unescaped[unescaped++];
    out.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
        out += raw[i];
        if (raw[i] == '"' && i + 1 < raw.size() && raw[i + 1] == '"')
            ++i;
    }
    out.append(buf + after, tail - after);
    cells.emplace_back(out);
    return tail;
}

std::size_t CsvReader::plain_cell(std::size_t p, std::vector<std::string_view>& cells)
{
    // The sentinel at m_end stops this scan without a bounds check.
    const char* buf = m_buf.data();
    std::size_t q = p;
    while (true) {
        while (!m_stop[static_cast<unsigned char>(buf[q])])
            ++q;
        if (buf[q] != '"' || q >= m_end)
            break;
        m_well_formed = false; // a stray quote in an unquoted cell
        ++q;
    }
    q = std::min(q, m_end);
    if (q == m_end && !m_eof)
        return k_need_more;
    cells.emplace_back(buf + p, q - p);
    return q;
}

CsvReader::Parse CsvReader::parse_record(std::vector<std::string_view>& cells)
{
    cells.clear();
    m_well_formed = true;
    m_unterminated = false;
    std::size_t unescaped = 0;
    const char* buf = m_buf.data();
    std::size_t p = m_pos;
    if (p == m_end)
        return Parse::incomplete;
    while (true) {
        p = p < m_end && buf[p] == '"' ? quoted_cell(p, unescaped, cells) : plain_cell(p, cells);
        if (p == k_need_more)
            return Parse::incomplete;
        if (p < m_end && buf[p] == m_delimiter) {
            ++p;
            continue;
        }
        // Line end (CR, LF or CRLF) or the end of the input.
        m_raw_begin = m_pos;
        m_raw_end = p;
        if (p < m_end && buf[p] == '\r') {
            if (p + 1 == m_end && !m_eof)
                return Parse::incomplete;
            ++p;
            if (p < m_end && buf[p] == '\n')
                ++p;
        } else if (p < m_end) {
            ++p;
        }
        m_pos = p;
        return cells.size() == 1 && cells[0].empty() ? Parse::blank : Parse::record;
    }
}

bool CsvReader::next(std::vector<std::string_view>& cells)
{
    if (!m_started)
        refill();
    while (true) {
        switch (parse_record(cells)) {
        case Parse::record:
            return true;
        case Parse::blank:
            continue;
        case Parse::incomplete:
            if (!refill())
                return false;
        }
    }
}

namespace {

/// Whether a cell holds the delimiter, a quote, CR or LF. Every cell of every
/// batch row is scanned, most need no quotes, and a byte at a time cost a
/// branch per byte whose exit, at a different byte for every short cell,
/// was mispredicted: eight bytes are tested at once here.
bool needs_quotes(std::string_view cell, char delimiter)
{
    constexpr std::uint64_t k_ones = 0x0101010101010101u, k_highs = 0x8080808080808080u;
    // Non-zero when a byte of `v` is zero (exact for "any", which is all that is asked).
    auto any_zero = [](std::uint64_t v) { return (v - k_ones) & ~v & k_highs; };
    const std::uint64_t d = k_ones * static_cast<unsigned char>(delimiter), q = k_ones * '"', lf = k_ones * '\n',
                        cr = k_ones * '\r';
    auto special = [&](std::uint64_t w) {
        return any_zero(w ^ d) | any_zero(w ^ q) | any_zero(w ^ lf) | any_zero(w ^ cr);
    };
    std::size_t i = 0;
    for (; i + 8 <= cell.size(); i += 8) {
        std::uint64_t w;
        std::memcpy(&w, cell.data() + i, 8);
        if (special(w))
            return true;
    }
    // The last bytes, in loads of fixed size (a memcpy of the tail's own
    // size was a call into the C library per cell): two that may overlap,
    // padded with copies of a byte the cell holds, so nothing new matches.
    const char* tail = cell.data() + i;
    const std::size_t n = cell.size() - i;
    std::uint64_t w = 0;
    if (n >= 4) {
        std::uint32_t lo = 0, hi = 0;
        std::memcpy(&lo, tail, 4);
        std::memcpy(&hi, tail + n - 4, 4);
        w = lo | std::uint64_t{hi} << 32;
    } else if (n >= 2) {
        std::uint16_t lo = 0, hi = 0;
        std::memcpy(&lo, tail, 2);
        std::memcpy(&hi, tail + n - 2, 2);
        w = (k_ones * static_cast<unsigned char>(tail[0])) << 32 | std::uint64_t{hi} << 16 | lo;
    } else if (n == 1) {
        w = k_ones * static_cast<unsigned char>(tail[0]);
    } else {
        return false;
    }
    return special(w) != 0;
}

} // namespace

void append_csv_cell(std::string& out, std::string_view cell, char delimiter)
{
    if (!needs_quotes(cell, delimiter)) {
        out.append(cell.data(), cell.size());
        return;
    }
    // Whole runs between quotes: a batch's long messages are quoted for
    // their commas, and a character at a time was most of what they cost.
    out += '"';
    std::size_t from = 0;
    for (auto q = cell.find('"'); q != std::string_view::npos; q = cell.find('"', q + 1)) {
        out.append(cell.data() + from, q + 1 - from);
        out += '"';
        from = q + 1;
    }
    out.append(cell.data() + from, cell.size() - from);
    out += '"';
}

bool looks_like_formula(std::string_view cell)
{
    return !cell.empty() && (cell[0] == '=' || cell[0] == '+' || cell[0] == '-' || cell[0] == '@' ||
                             cell[0] == '\t' || cell[0] == '\r');
}

void append_safe_csv_cell(std::string& out, std::string_view cell, char delimiter)
{
    if (!looks_like_formula(cell)) {
        append_csv_cell(out, cell, delimiter);
        return;
    }
    std::string prefixed = "'";
    prefixed += cell;
    append_csv_cell(out, prefixed, delimiter);
}

} // namespace natfw
