#include "batch.hpp"

#include "errors.hpp"
#include "query_input.hpp"
#include "util/csv.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace natfw {

namespace {

constexpr std::size_t k_flush_bytes = 1 << 20;
constexpr std::uint64_t k_progress_every = 100'000;

/// The output line being built, and where it goes.
class RowWriter {
public:
    RowWriter(std::FILE* out, char delimiter) : m_out(out), m_delimiter(delimiter) {}
    ~RowWriter() { flush(); }

    void cell(std::string_view c, bool escape)
    {
        if (m_started)
            m_buf += m_delimiter;
        m_started = true;
        if (escape)
            append_safe_csv_cell(m_buf, c, m_delimiter);
        else
            append_csv_cell(m_buf, c, m_delimiter);
    }
    /// Appends cells already written as CSV in the output's delimiter.
    void raw(std::string_view cells)
    {
        if (m_started)
            m_buf += m_delimiter;
        m_started = true;
        m_buf.append(cells.data(), cells.size());
    }
    void end_row()
    {
        m_buf += '\n';
        m_started = false;
        if (m_buf.size() >= k_flush_bytes)
            flush();
    }
    void flush()
    {
        if (!m_buf.empty() && std::fwrite(m_buf.data(), 1, m_buf.size(), m_out) != m_buf.size())
            throw FileError(fmt::format("cannot write the output: {}", std::strerror(errno)));
        m_buf.clear();
    }

private:
    std::FILE* m_out;
    char m_delimiter;
    std::string m_buf;
    bool m_started = false;
};

void append_word(std::string& list, std::string_view word)
{
    if (!list.empty())
        list += ' ';
    list += word;
}

} // namespace

void BatchCells::clear()
{
    status.clear(), internal.clear(), time.clear(), node.clear(), snapshot.clear(), line.clear(), message.clear();
}

void batch_cells(const Query& q, const Answer& a, BatchCells& row)
{
    row.clear();
    row.status = status_name(a.status);
    for (std::size_t i = 0; i < q.instants.size(); ++i) {
        if (i)
            row.time += ' ';
        append_iso_utc(row.time, q.instants[i]);
    }
    for (std::size_t i = 0; i < a.candidates.size(); ++i) {
        const Candidate& c = a.candidates[i];
        bool seen = false;
        for (std::size_t j = 0; j < i && !seen; ++j)
            seen = a.candidates[j].internal == c.internal && a.candidates[j].snapshot->id == c.snapshot->id;
        if (seen)
            continue;
        append_word(row.internal, c.internal);
        append_word(row.node, c.snapshot->node);
        append_word(row.snapshot, c.snapshot->path);
        if (!row.line.empty())
            row.line += ' ';
        row.line += std::to_string(c.line);
        for (std::size_t j = i + 1; j < a.candidates.size(); ++j)
            if (a.candidates[j].internal == c.internal && a.candidates[j].snapshot->id == c.snapshot->id)
                row.line += '+' + std::to_string(a.candidates[j].line);
    }
    row.message = a.reason;
    for (const auto& w : a.warnings) {
        if (!row.message.empty())
            row.message += " | ";
        row.message += "warning: " + w;
    }
}

BatchSummary run_batch(std::FILE* in, std::FILE* out, Tracer& tracer, const TimeParser& times,
                       const BatchOptions& options, std::FILE* diag)
{
    CsvReader reader(in, options.delimiter);
    std::vector<std::string_view> cells;
    if (!reader.next(cells))
        throw UsageError("the CSV input is empty: it needs a header row");
    const std::vector<std::string> header(cells.begin(), cells.end());
    BatchColumns cols = find_columns(header, options.columns);
    fmt::print(diag, "natfw-trace: columns: {}\n", cols.describe(header));

    RowWriter w(out, reader.delimiter());
    if (reader.record_well_formed() && !options.escape_input_formulas)
        w.raw(reader.raw_record());
    else
        for (const auto& h : header)
            w.cell(h, options.escape_input_formulas);
    for (const char* name : k_batch_columns)
        w.cell(name, false);
    w.end_row();

    BatchSummary sum;
    Query q;
    q.node = options.node;
    ParsedTime parsed;
    Answer answer;
    BatchCells row;
    while (reader.next(cells)) {
        ++sum.rows;
        row.clear();
        const bool fits = cells.size() == header.size();
        if (!fits) {
            row.status = "error";
            row.message = fmt::format("the row has {} cells, the header {}; cells {} to fit", cells.size(),
                                      header.size(), cells.size() < header.size() ? "padded" : "cut");
            cells.resize(header.size());
        } else {
            try {
                std::string_view time = cells[cols.time];
                if (time.empty())
                    throw UsageError("the time cell is empty");
                if (cells[cols.ip].empty())
                    throw UsageError("the address cell is empty");
                if (cells[cols.port].empty())
                    throw UsageError("the port cell is empty");
                q.proto = cols.proto ? parse_proto(cells[*cols.proto]) : std::string();
                q.ip = parse_ip_arg(cells[cols.ip]);
                q.port = parse_port_arg(cells[cols.port]);
                times.parse(time, parsed);
                q.input = time;
                q.instants.swap(parsed.instants);
                q.zone.swap(parsed.zone);
                tracer.lookup(q, answer);
                batch_cells(q, answer, row);
            } catch (const UsageError& e) {
                row.clear();
                row.status = "error";
                row.message = e.what();
            }
        }
        switch (row.status[0]) {
        case 'u': ++sum.unique; break;
        case 'n': ++sum.none; break;
        case 'a': ++sum.ambiguous; break;
        default: ++sum.error; break;
        }
        if (fits && reader.record_well_formed() && !options.escape_input_formulas)
            w.raw(reader.raw_record()); // the cells exactly as they came, quoting included
        else
            for (const auto& c : cells)
                w.cell(c, options.escape_input_formulas);
        for (const std::string* c : {&row.status, &row.internal, &row.time, &row.node, &row.snapshot, &row.line,
                                     &row.message})
            w.cell(*c, true);
        w.end_row();
        if (options.progress && sum.rows % k_progress_every == 0)
            fmt::print(diag, "\rnatfw-trace: {} rows", sum.rows);
    }
    if (options.progress && sum.rows >= k_progress_every)
        fmt::print(diag, "\r");
    w.flush();
    return sum;
}

} // namespace natfw
