#include "batch/row_writer.hpp"

#include "util/csv.hpp"
#include "util/errors.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace natfw {

RowWriter::RowWriter(std::string& out, char delimiter)
    : m_buf(out), m_delimiter(delimiter),
      m_plain_delimiter(std::string_view("0123456789.:-+/!TZ abcdeghilmnoqrstu").find(delimiter) ==
                        std::string_view::npos)
{
}

void RowWriter::known_cell(std::string_view c)
{
    if (!m_plain_delimiter) {
        cell(c, true);
        return;
    }
    separate();
    m_buf.append(c.data(), c.size());
}

void RowWriter::repeated_cell(std::string_view c)
{
    if (c != m_last_repeated) {
        m_last_repeated.assign(c);
        m_last_encoded.clear();
        append_safe_csv_cell(m_last_encoded, c, m_delimiter);
    }
    separate();
    m_buf += m_last_encoded;
}

void RowWriter::cell(std::string_view c, bool escape)
{
    separate();
    if (escape)
        append_safe_csv_cell(m_buf, c, m_delimiter);
    else
        append_csv_cell(m_buf, c, m_delimiter);
}

void RowWriter::raw(std::string_view cells)
{
    separate();
    m_buf.append(cells.data(), cells.size());
}

void RowWriter::end_row()
{
    m_buf += '\n';
    m_started = false;
}

void RowWriter::separate()
{
    if (m_started)
        m_buf += m_delimiter;
    m_started = true;
}

void write_out(std::FILE* out, std::string_view text)
{
    if (!text.empty() && std::fwrite(text.data(), 1, text.size(), out) != text.size())
        throw FileError(fmt::format("cannot write the output: {}", std::strerror(errno)));
}

} // namespace natfw
