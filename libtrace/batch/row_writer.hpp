#pragma once
// Writing answered complaint rows as CSV: input cells as they came (or made
// safe for spreadsheets), then the natfw_* cells.
#include <cstdio>
#include <string>
#include <string_view>

namespace natfw {

/// Appends rows, as CSV in `delimiter`, to a text buffer.
class RowWriter {
public:
    RowWriter(std::string& out, char delimiter);

    /// A cell natfw wrote from a known alphabet (status words, instants, line
    /// numbers, addresses): quoted only if the delimiter is in that alphabet.
    void known_cell(std::string_view c);
    /// A formula-safe cell that repeats from row to row (the snapshot):
    /// encoded once while it stays the same.
    void repeated_cell(std::string_view c);
    /// Any cell; `escape`: made safe for spreadsheets (formulas) as well.
    void cell(std::string_view c, bool escape);
    /// Appends cells already written as CSV in the output's delimiter.
    void raw(std::string_view cells);
    void end_row();

private:
    void separate();

    std::string& m_buf;
    char m_delimiter;
    bool m_plain_delimiter; ///< cannot occur in a known_cell
    bool m_started = false;
    std::string m_last_repeated, m_last_encoded;
};

/// Writes all of `text`; throws FileError when the output fails.
void write_out(std::FILE* out, std::string_view text);

} // namespace natfw
