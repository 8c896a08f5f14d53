#include "batch/batch.hpp"
#include "batch/complaint_answerer.hpp"

#include "util/errors.hpp"
#include "query/session_cache.hpp"
#include "util/csv.hpp"
#include "util/text.hpp"
#include "util/ordered_pipeline.hpp"
#include "batch/row_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

namespace natfw {

namespace {

constexpr std::uint64_t k_progress_every = 100'000;

void append_word(std::string& list, std::string_view word)
{
    if (!list.empty())
        list += ' ';
    list += word;
}

} // namespace

void BatchSummary::count(std::string_view status)
{
    ++rows;
    (status == "unique" ? unique : status == "none" ? none : status == "ambiguous" ? ambiguous : error) += 1;
}

BatchSummary& BatchSummary::operator+=(const BatchSummary& o)
{
    rows += o.rows, unique += o.unique, none += o.none, ambiguous += o.ambiguous, error += o.error;
    return *this;
}

void BatchCells::clear()
{
    status.clear(), internal.clear(), time.clear(), node.clear(), snapshot.clear(), line.clear(), message.clear();
    user.clear(), user_status.clear();
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
    const auto& cs = a.candidates;
    auto same_group = [&](std::size_t i, std::size_t j) {
        return cs[i].internal == cs[j].internal && cs[i].snapshot == cs[j].snapshot;
    };
    for (std::size_t i = 0; i < cs.size(); ++i) {
        bool seen = false;
        for (std::size_t j = 0; j < i && !seen; ++j)
            seen = same_group(i, j);
        if (seen)
            continue;
        append_word(row.internal, cs[i].internal);
        if (!cs[i].snapshot)
            continue; // a client's own address: no ruleset, no evidence line
        append_word(row.node, cs[i].snapshot->node);
        append_word(row.snapshot, cs[i].snapshot->path);
        std::string lines = std::to_string(cs[i].line);
        for (std::size_t j = i + 1; j < cs.size(); ++j)
            if (same_group(i, j))
                lines += '+' + std::to_string(cs[j].line);
        append_word(row.line, lines);
    }
    row.message = a.reason;
    if (a.users) {
        for (const auto& u : a.users->users)
            append_word(row.user, u);
        row.user_status = user_status_name(a.users->status);
        if (!a.users->reason.empty()) {
            if (!row.message.empty())
                row.message += " | ";
            row.message += "user: ";
            row.message += a.users->reason;
        }
    }
    for (const auto& w : a.warnings) {
        if (!row.message.empty())
            row.message += " | ";
        row.message += "warning: " + w;
    }
}

void write_batch_cells(RowWriter& w, const BatchCells& row, bool with_users)
{
    w.known_cell(row.status);
    w.known_cell(row.internal);
    w.known_cell(row.time);
    w.cell(row.node, true);
    w.repeated_cell(row.snapshot);
    w.known_cell(row.line);
    w.cell(row.message, true);
    if (with_users) {
        w.cell(row.user, true);
        w.known_cell(row.user_status);
    }
}

namespace {

/// Each of run_ordered's slots keeps its chunk's buffers, and their first
/// use faults in every page. With 4096 rows a slot's buffers came to about
/// 2.5 MB, and those faults were a fifth of a 100,000-row batch's CPU on the
/// bench's virtual machines; 512 rows were no faster than 1024
/// (bench/README.md, "thirteenth run").
constexpr std::size_t k_chunk_rows = 1024;

/// Rows read and copied by the main thread, answered and turned into CSV
/// text by a worker, and written to the output in sequence by the main thread.
struct Chunk {
    struct Row {
        std::size_t raw_begin, raw_size; ///< the record as written, in `bytes`
        std::size_t cells_begin;         ///< into `cells`
        std::size_t cell_count;
        bool well_formed;
        bool unterminated; ///< CsvReader::record_unterminated
    };
    std::string bytes;
    std::vector<std::pair<std::size_t, std::size_t>> cells; ///< offset and size in `bytes`
    std::vector<Row> rows;
    std::string out;
    BatchSummary counts;

    void clear()
    {
        bytes.clear();
        cells.clear();
        rows.clear();
        out.clear();
        counts = {};
    }
    std::string_view cell(std::size_t i) const { return {bytes.data() + cells[i].first, cells[i].second}; }
};

/// Reads up to k_chunk_rows records into `c`; false when there were none.
bool read_chunk(CsvReader& reader, std::vector<std::string_view>& cells, Chunk& c)
{
    c.clear();
    while (c.rows.size() < k_chunk_rows && reader.next(cells)) {
        auto raw = reader.raw_record();
        Chunk::Row r{c.bytes.size(), raw.size(), c.cells.size(), cells.size(), reader.record_well_formed(),
                     reader.record_unterminated()};
        c.bytes += raw;
        for (auto cell : cells) {
            c.cells.emplace_back(c.bytes.size(), cell.size());
            c.bytes += cell;
        }
        c.rows.push_back(r);
    }
    return !c.rows.empty();
}

/// Answers a chunk's rows (a worker's side), k_group_rows at a time, in
/// three passes: the NAT rules of each row; then what the rows ask of their
/// /24's session blocks, all at once; then the rest of each answer and its
/// cells. A block question waits on memory (the rows come in random order,
/// so an address's session times are rarely in the processor's caches):
/// asked together, the questions of a group wait together, where asked
/// between two rows' NAT lookups each waited alone (bench/README.md,
/// "seventh run"). The rows' queries and answers are kept from group to
/// group, so that their strings and lists keep their memory.
class RowAnswerer {
public:
    RowAnswerer(History& history, const TimeParser& times, const BatchColumns& cols, std::size_t width, char delimiter,
                const BatchOptions& options, std::shared_ptr<SessionCache> sessions_cache)
        : m_answerer(history, times, options, std::move(sessions_cache)), m_cols(cols), m_width(width),
          m_delimiter(delimiter), m_options(options), m_rows(k_group_rows)
    {
    }

    void answer_chunk(Chunk& c)
    {
        RowWriter w(c.out, m_delimiter);
        for (std::size_t at = 0; at < c.rows.size(); at += k_group_rows)
            answer_group(c, at, std::min(c.rows.size(), at + k_group_rows), w);
    }

private:
    /// Measured: 32 to 128 rows answered as fast; a group's queries and
    /// answers stay in the processor's caches.
    static constexpr std::size_t k_group_rows = 64;
    static_assert(k_group_rows <= SessionHistory::k_max_questions);

    void answer_group(Chunk& c, std::size_t from, std::size_t to, RowWriter& w)
    {
        m_questions.clear();
        for (std::size_t i = from; i < to; ++i)
            answer_addresses(c, c.rows[i], m_rows[i - from]);
        m_answers.resize(m_questions.size());
        m_answerer.ask_blocks(m_questions, m_answers);
        for (std::size_t i = from; i < to; ++i) {
            const auto& r = c.rows[i];
            auto& s = m_rows[i - from];
            if (!s.failed)
                answer_users(s, s.asked == k_not_asked ? nullptr : &m_answers[s.asked]);
            cells(s, m_row);
            c.counts.count(m_row.status);
            if (r.cell_count == m_width && r.well_formed && !m_options.escape_input_formulas) {
                w.raw(std::string_view(c.bytes).substr(r.raw_begin, r.raw_size)); // exactly as it came
            } else {
                for (std::size_t k = 0; k < m_width; ++k) // padded or cut to the header's width
                    w.cell(k < r.cell_count ? c.cell(r.cells_begin + k) : std::string_view(),
                           m_options.escape_input_formulas);
            }
            write_batch_cells(w, m_row, m_answerer.with_users());
            w.end_row();
        }
    }

    static constexpr std::size_t k_not_asked = static_cast<std::size_t>(-1);
    struct RowState {
        Query q;
        Answer a;
        ComplaintAnswerer::AddressesAnswered done;
        std::size_t asked = k_not_asked; ///< its question's answer in m_answers, or k_not_asked
        bool failed = false;
        std::string error; ///< why, when failed
    };

    static void fail(RowState& s, std::string_view why)
    {
        s.failed = true;
        s.error.assign(why);
    }

    void answer_addresses(const Chunk& chunk, const Chunk::Row& r, RowState& s)
    {
        s.failed = false;
        s.asked = k_not_asked;
        if (r.unterminated)
            return fail(s, "a quoted cell opened on this row is never closed; the row ends with its line and the "
                           "lines after it are read as rows");
        if (r.cell_count != m_width)
            return fail(s, fmt::format("the row has {} cells, the header {}; cells {} to fit", r.cell_count, m_width,
                                       r.cell_count < m_width ? "padded" : "cut"));
        // Exports often put a blank after each delimiter; it is no part of an address or port.
        auto cell = [&](std::size_t i) { return trim(chunk.cell(r.cells_begin + i), " \t"); };
        try {
            Complaint c;
            c.time = cell(m_cols.time);
            c.address = cell(m_cols.ip);
            c.port = cell(m_cols.port);
            if (m_cols.proto)
                c.proto = cell(*m_cols.proto);
            if (c.time.empty())
                throw UsageError("the time cell is empty");
            if (c.address.empty())
                throw UsageError("the address cell is empty");
            s.done = m_answerer.answer_addresses(c, s.q, s.a);
            if (auto question = m_answerer.block_question(s.q, s.a)) {
                s.asked = m_questions.size();
                m_questions.push_back(*question);
            }
        } catch (const UsageError& e) {
            fail(s, e.what());
        }
    }

    void answer_users(RowState& s, const BlockAnswer* asked)
    {
        try {
            m_answerer.answer_users(s.done, s.q, s.a, asked);
        } catch (const UsageError& e) {
            fail(s, e.what());
        }
    }

    static void cells(const RowState& s, BatchCells& row)
    {
        if (!s.failed)
            return batch_cells(s.q, s.a, row);
        row.clear();
        row.status = "error";
        row.message = s.error;
    }

    ComplaintAnswerer m_answerer;
    const BatchColumns& m_cols;
    std::size_t m_width;
    char m_delimiter;
    const BatchOptions& m_options;
    std::vector<RowState> m_rows; ///< the group's
    std::vector<BlockQuestion> m_questions; ///< the group's, in row order
    std::vector<BlockAnswer> m_answers;     ///< to m_questions
    BatchCells m_row;
};

} // namespace

BatchSummary run_batch(std::FILE* in, std::FILE* out, History& history, const TimeParser& times,
                       const BatchOptions& options, std::FILE* diag)
{
    CsvReader reader(in, options.delimiter);
    std::vector<std::string_view> cells;
    if (!reader.next(cells))
        throw UsageError("the CSV input is empty: it needs a header row");
    const std::vector<std::string> header(cells.begin(), cells.end());
    BatchColumns cols = find_columns(header, options.columns);
    fmt::print(diag, "natfw-trace: columns: {}\n", cols.describe(header));

    std::string head;
    RowWriter hw(head, reader.delimiter());
    if (reader.record_well_formed() && !options.escape_input_formulas)
        hw.raw(reader.raw_record());
    else
        for (const auto& h : header)
            hw.cell(h, options.escape_input_formulas);
    for (const char* name : k_batch_columns)
        hw.cell(name, false);
    if (options.sessions)
        for (const char* name : k_batch_user_columns)
            hw.cell(name, false);
    hw.end_row();
    write_out(out, head);

    // This thread reads and writes; workers answer whole chunks, which are
    // written in the order they were read.
    BatchSummary sum;
    auto sessions_cache = std::make_shared<SessionCache>();
    run_ordered<Chunk>(
        options.threads,
        [&]() -> std::function<void(Chunk&)> {
            // Each worker reads the history through a view of its own (packs in hand).
            std::shared_ptr<History> view = history.for_worker();
            auto answerer = std::make_shared<RowAnswerer>(view ? *view : history, times, cols, header.size(),
                                                          reader.delimiter(), options, sessions_cache);
            return [answerer, view](Chunk& c) { answerer->answer_chunk(c); };
        },
        [&](Chunk& c) { return read_chunk(reader, cells, c); },
        [&](Chunk& c) {
            write_out(out, c.out);
            sum += c.counts;
            if (options.progress && sum.rows / k_progress_every != (sum.rows - c.counts.rows) / k_progress_every)
                fmt::print(diag, "\rnatfw-trace: {} rows", sum.rows);
        });
    if (options.progress && sum.rows >= k_progress_every)
        fmt::print(diag, "\r");
    return sum;
}

} // namespace natfw
