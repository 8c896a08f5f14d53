#pragma once
// RFC 4180 CSV in and out, for complaint batches of millions of rows.
#include <array>
#include <cstdint>
#include <deque>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace natfw {

/// Streams the records of an RFC 4180 CSV file: quoted fields with
/// delimiters, quotes ("") and line breaks inside, CRLF or LF, a leading
/// UTF-8 BOM dropped, blank lines skipped. Cells come through exactly as
/// written, nothing trimmed. Lenient where RFC 4180 is strict: text after a
/// closing quote is kept, an unterminated quote runs to the end of the input.
class CsvReader {
public:
    /// `delimiter` 0: the one of `,` `;` TAB that occurs most often outside
    /// quotes in the first line (`,` when none does). `chunk` is the read
    /// size; records longer than it grow the buffer.
    CsvReader(std::FILE* in, char delimiter, std::size_t chunk = 1 << 16);

    /// Reads the next record; its cells view the reader's buffer and stay
    /// valid until the next call. False at the end. Throws FileError when the
    /// input cannot be read.
    bool next(std::vector<std::string_view>& cells);
    char delimiter() const { return m_delimiter; }
    /// The last record's bytes as written, without its line end.
    std::string_view raw_record() const { return {m_buf.data() + m_raw_begin, m_raw_end - m_raw_begin}; }
    /// Whether the last record was well-formed RFC 4180 (no stray quote in an
    /// unquoted cell, nothing after a closing quote), so that its raw bytes
    /// are valid CSV to copy.
    bool record_well_formed() const { return m_well_formed; }
    /// Whether the last record holds a quoted cell that is never closed: it
    /// then ends with the line the quote opened on, and the next record
    /// starts on the line after it (RFC 4180 would swallow every later row).
    bool record_unterminated() const { return m_unterminated; }

private:
    enum class Parse { record, blank, incomplete };
    Parse parse_record(std::vector<std::string_view>& cells);
    /// Returned by the cell readers when the cell may go on past what is read.
    static constexpr std::size_t k_need_more = static_cast<std::size_t>(-1);
    /// The quoted cell at `p` (`unescaped`: buffers used so far in this record)
    /// and the plain cell at `p`, appended to `cells`; both return the position
    /// after the cell.
    std::size_t quoted_cell(std::size_t p, std::size_t& unescaped, std::vector<std::string_view>& cells);
    std::size_t plain_cell(std::size_t p, std::vector<std::string_view>& cells);
    /// Moves the unread rest to the front and reads more; false at the end.
    bool refill();

    std::FILE* m_in;
    char m_delimiter;
    std::size_t m_chunk;
    std::string m_buf;
    std::size_t m_pos = 0, m_end = 0;
    std::size_t m_raw_begin = 0, m_raw_end = 0;
    std::array<bool, 256> m_stop{}; ///< delimiter, quote, CR, LF
    bool m_well_formed = true;
    bool m_unterminated = false;
    bool m_eof = false, m_started = false;
    std::deque<std::string> m_unescaped; ///< quoted cells that held ""; a deque keeps views valid as it grows
};

/// Appends `cell` to `out`, quoted when it holds the delimiter, a quote or a line break.
void append_csv_cell(std::string& out, std::string_view cell, char delimiter);

/// Whether a spreadsheet would read the cell as a formula (`=`, `+`, `-`, `@`,
/// TAB or CR first).
bool looks_like_formula(std::string_view cell);

/// Appends `cell`, prefixed with `'` when it looks like a formula, so a
/// spreadsheet shows it as text.
void append_safe_csv_cell(std::string& out, std::string_view cell, char delimiter);

} // namespace natfw
