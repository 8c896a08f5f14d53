#include "batch.hpp"

#include "errors.hpp"
#include "query_input.hpp"
#include "util/csv.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>

namespace natfw {

namespace {

constexpr std::size_t k_flush_bytes = 1 << 20;
constexpr std::uint64_t k_progress_every = 100'000;

/// The output line being built, and where it goes.
class RowWriter {
public:
    RowWriter(std::FILE* out, char delimiter)
        : m_out(out), m_delimiter(delimiter),
          m_plain_delimiter(std::string_view("0123456789.:-+/!TZ abcdeghilmnoqrstu").find(delimiter) == std::string_view::npos)
    {
    }
    ~RowWriter() { flush(); }

    /// A cell natfw wrote from a known alphabet (status words, instants, line
    /// numbers, addresses): quoting is only needed if the delimiter is in it.
    void known_cell(std::string_view c)
    {
        if (!m_plain_delimiter) {
            cell(c, true);
            return;
        }
        if (m_started)
            m_buf += m_delimiter;
        m_started = true;
        m_buf.append(c.data(), c.size());
    }
    /// A formula-safe cell that repeats from row to row (node, snapshot):
    /// encoded once while it stays the same.
    void repeated_cell(std::string_view c)
    {
        if (c != m_last_repeated) {
            m_last_repeated.assign(c);
            m_last_encoded.clear();
            append_safe_csv_cell(m_last_encoded, c, m_delimiter);
        }
        if (m_started)
            m_buf += m_delimiter;
        m_started = true;
        m_buf += m_last_encoded;
    }
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
    bool m_plain_delimiter; ///< cannot occur in a known_cell
    std::string m_buf;
    std::string m_last_repeated, m_last_encoded;
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

namespace {

constexpr std::size_t k_chunk_rows = 4096;
constexpr std::size_t k_chunks_in_flight = 4; ///< bounds memory whatever the input's length

/// Rows read and copied by the main thread, answered by the worker.
struct Chunk {
    struct Row {
        std::size_t raw_begin, raw_size; ///< the record as written, in `bytes`
        std::size_t cells_begin;         ///< into `cells`
        std::size_t cell_count;
        bool well_formed;
    };
    std::string bytes;
    std::vector<std::pair<std::size_t, std::size_t>> cells; ///< offset and size in `bytes`
    std::vector<Row> rows;
    std::vector<BatchCells> answers;

    void clear()
    {
        bytes.clear();
        cells.clear();
        rows.clear();
    }
    std::string_view cell(std::size_t i) const { return {bytes.data() + cells[i].first, cells[i].second}; }
};

/// Answers rows one by one (the worker's side); keeps its buffers between rows.
class RowAnswerer {
public:
    RowAnswerer(Tracer& tracer, const TimeParser& times, const BatchColumns& cols, std::size_t width, std::string node)
        : m_tracer(tracer), m_times(times), m_cols(cols), m_width(width)
    {
        m_q.node = std::move(node);
    }

    void answer(const Chunk& chunk, const Chunk::Row& r, BatchCells& row)
    {
        row.clear();
        if (r.cell_count != m_width) {
            row.status = "error";
            row.message = fmt::format("the row has {} cells, the header {}; cells {} to fit", r.cell_count, m_width,
                                      r.cell_count < m_width ? "padded" : "cut");
            return;
        }
        auto cell = [&](std::size_t i) { return chunk.cell(r.cells_begin + i); };
        try {
            std::string_view time = cell(m_cols.time);
            if (time.empty())
                throw UsageError("the time cell is empty");
            if (cell(m_cols.ip).empty())
                throw UsageError("the address cell is empty");
            if (cell(m_cols.port).empty())
                throw UsageError("the port cell is empty");
            m_q.proto = m_cols.proto ? parse_proto(cell(*m_cols.proto)) : std::string();
            // Complaints name a handful of public addresses; parse each once in a row.
            if (cell(m_cols.ip) != m_last_ip_text) {
                m_last_ip = parse_ip_arg(cell(m_cols.ip));
                m_last_ip_text.assign(cell(m_cols.ip));
            }
            m_q.ip = m_last_ip;
            m_q.port = parse_port_arg(cell(m_cols.port));
            m_times.parse(time, m_parsed);
            m_q.input = time;
            m_q.instants.swap(m_parsed.instants);
            m_q.zone.swap(m_parsed.zone);
            m_tracer.lookup(m_q, m_answer);
            batch_cells(m_q, m_answer, row);
        } catch (const UsageError& e) {
            row.clear();
            row.status = "error";
            row.message = e.what();
        }
    }

private:
    Tracer& m_tracer;
    const TimeParser& m_times;
    const BatchColumns& m_cols;
    std::size_t m_width;
    Query m_q;
    ParsedTime m_parsed;
    Answer m_answer;
    std::string m_last_ip_text;
    Ipv4 m_last_ip = 0;
};

/// A FIFO of chunks between the two threads.
class ChunkQueue {
public:
    void push(Chunk* c)
    {
        {
            std::lock_guard lock(m_mutex);
            m_queue.push_back(c);
        }
        m_ready.notify_one();
    }
    /// Blocks until a chunk (or the nullptr that ends the stream) arrives.
    Chunk* pop()
    {
        std::unique_lock lock(m_mutex);
        m_ready.wait(lock, [&] { return !m_queue.empty(); });
        Chunk* c = m_queue.front();
        m_queue.pop_front();
        return c;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_ready;
    std::deque<Chunk*> m_queue;
};

} // namespace

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

    // Two threads: this one reads and writes, the worker answers. Chunks go
    // through both queues in order, so the output keeps the input's order.
    ChunkQueue todo, done;
    std::exception_ptr worker_error;
    std::thread worker([&] {
        RowAnswerer answerer(tracer, times, cols, header.size(), options.node);
        while (Chunk* c = todo.pop()) {
            try {
                if (!worker_error) {
                    c->answers.resize(std::max(c->answers.size(), c->rows.size()));
                    for (std::size_t i = 0; i < c->rows.size(); ++i)
                        answerer.answer(*c, c->rows[i], c->answers[i]);
                }
            } catch (...) {
                worker_error = std::current_exception(); // read by this thread's owner after join
            }
            done.push(c);
        }
    });

    BatchSummary sum;
    auto write_chunk = [&](const Chunk& c) {
        for (std::size_t i = 0; i < c.rows.size(); ++i) {
            const Chunk::Row& r = c.rows[i];
            const BatchCells& row = c.answers[i];
            ++sum.rows;
            switch (row.status[0]) {
            case 'u': ++sum.unique; break;
            case 'n': ++sum.none; break;
            case 'a': ++sum.ambiguous; break;
            default: ++sum.error; break;
            }
            if (r.cell_count == header.size() && r.well_formed && !options.escape_input_formulas) {
                w.raw(std::string_view(c.bytes).substr(r.raw_begin, r.raw_size)); // exactly as it came
            } else {
                for (std::size_t k = 0; k < header.size(); ++k) // padded or cut to the header's width
                    w.cell(k < r.cell_count ? c.cell(r.cells_begin + k) : std::string_view(),
                           options.escape_input_formulas);
            }
            w.known_cell(row.status);
            w.known_cell(row.internal);
            w.known_cell(row.time);
            w.cell(row.node, true);
            w.repeated_cell(row.snapshot);
            w.known_cell(row.line);
            w.cell(row.message, true);
            w.end_row();
            if (options.progress && sum.rows % k_progress_every == 0)
                fmt::print(diag, "\rnatfw-trace: {} rows", sum.rows);
        }
    };

    std::vector<std::unique_ptr<Chunk>> pool;
    std::vector<Chunk*> free_chunks;
    std::size_t in_flight = 0;
    auto finish_one = [&] {
        Chunk* c = done.pop();
        --in_flight;
        if (!worker_error)
            write_chunk(*c);
        free_chunks.push_back(c);
    };
    try {
        bool more = true;
        while (more && !worker_error) {
            if (free_chunks.empty() && pool.size() < k_chunks_in_flight) {
                pool.push_back(std::make_unique<Chunk>());
                free_chunks.push_back(pool.back().get());
            }
            if (free_chunks.empty())
                finish_one();
            Chunk* c = free_chunks.back();
            free_chunks.pop_back();
            c->clear();
            while (c->rows.size() < k_chunk_rows && (more = reader.next(cells))) {
                auto raw = reader.raw_record();
                Chunk::Row r{c->bytes.size(), raw.size(), c->cells.size(), cells.size(), reader.record_well_formed()};
                c->bytes += raw;
                for (auto cell : cells) {
                    c->cells.emplace_back(c->bytes.size(), cell.size());
                    c->bytes += cell;
                }
                c->rows.push_back(r);
            }
            if (c->rows.empty()) {
                free_chunks.push_back(c);
                break;
            }
            todo.push(c);
            ++in_flight;
        }
    } catch (...) {
        todo.push(nullptr);
        while (in_flight)
            finish_one();
        worker.join();
        throw;
    }
    while (in_flight)
        finish_one();
    todo.push(nullptr);
    worker.join();
    if (worker_error)
        std::rethrow_exception(worker_error);
    if (options.progress && sum.rows >= k_progress_every)
        fmt::print(diag, "\r");
    w.flush();
    return sum;
}

} // namespace natfw
