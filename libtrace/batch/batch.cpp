#include "batch/batch.hpp"

#include "util/errors.hpp"
#include "query/client_address.hpp"
#include "query/nat6_tracer.hpp"
#include "query/timeline6.hpp"
#include "store/database.hpp"
#include "store/statements.hpp"
#include "query/query_input.hpp"
#include "query/session_cache.hpp"
#include "query/user_attribution.hpp"
#include "util/csv.hpp"
#include "util/ip_address.hpp"
#include "util/text.hpp"
#include "batch/ordered_pipeline.hpp"
#include "batch/row_writer.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

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
            row.message += "user: " + a.users->reason;
        }
    }
    for (const auto& w : a.warnings) {
        if (!row.message.empty())
            row.message += " | ";
        row.message += "warning: " + w;
    }
}

namespace {

constexpr std::size_t k_chunk_rows = 4096;

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

/// Answers rows one by one (a worker's side); keeps its buffers between rows.
class RowAnswerer {
public:
    RowAnswerer(History& history, const TimeParser& times, const BatchColumns& cols, std::size_t width, char delimiter,
                const BatchOptions& options, std::shared_ptr<SessionCache> sessions_cache)
        : m_history(history), m_tracer(history, false, options.evidence), m_times(times), m_cols(cols), m_width(width), m_delimiter(delimiter),
          m_options(options)
    {
        m_q.node = options.node;
        if (options.sessions_index) {
            m_sessions_db = open_index_for_reading(*options.sessions_index);
            m_sessions_db->exec(sql::k_map_for_batch);
            m_sessions.emplace(*m_sessions_db, SessionHistory::Mode::batch, std::move(sessions_cache));
        }
        m_q.window_before = options.window_before;
        m_q.window_after = options.window_after;
    }

    void answer_chunk(Chunk& c)
    {
        RowWriter w(c.out, m_delimiter);
        for (const auto& r : c.rows) {
            answer(c, r, m_row);
            c.counts.count(m_row.status);
            if (r.cell_count == m_width && r.well_formed && !m_options.escape_input_formulas) {
                w.raw(std::string_view(c.bytes).substr(r.raw_begin, r.raw_size)); // exactly as it came
            } else {
                for (std::size_t k = 0; k < m_width; ++k) // padded or cut to the header's width
                    w.cell(k < r.cell_count ? c.cell(r.cells_begin + k) : std::string_view(),
                           m_options.escape_input_formulas);
            }
            w.known_cell(m_row.status);
            w.known_cell(m_row.internal);
            w.known_cell(m_row.time);
            w.cell(m_row.node, true);
            w.repeated_cell(m_row.snapshot);
            w.known_cell(m_row.line);
            w.cell(m_row.message, true);
            if (m_sessions) {
                w.cell(m_row.user, true);
                w.known_cell(m_row.user_status);
            }
            w.end_row();
        }
    }

private:
    void answer(const Chunk& chunk, const Chunk::Row& r, BatchCells& row)
    {
        row.clear();
        if (r.unterminated) {
            row.status = "error";
            row.message = "a quoted cell opened on this row is never closed; the row ends with its line and the "
                          "lines after it are read as rows";
            return;
        }
        if (r.cell_count != m_width) {
            row.status = "error";
            row.message = fmt::format("the row has {} cells, the header {}; cells {} to fit", r.cell_count, m_width,
                                      r.cell_count < m_width ? "padded" : "cut");
            return;
        }
        // Exports often put a blank after each delimiter; it is no part of an address or port.
        auto cell = [&](std::size_t i) { return trim(chunk.cell(r.cells_begin + i), " \t"); };
        try {
            std::string_view time = cell(m_cols.time);
            if (time.empty())
                throw UsageError("the time cell is empty");
            if (cell(m_cols.ip).empty())
                throw UsageError("the address cell is empty");
            m_q.proto = m_cols.proto ? parse_proto(cell(*m_cols.proto)) : std::string();
            // Complaints name a handful of public addresses; parse each once in a row.
            if (cell(m_cols.ip) != m_last_ip_text) {
                auto address = canonical_address(cell(m_cols.ip));
                if (!address)
                    throw UsageError(fmt::format("\"{}\" is not an IPv4 or IPv6 address", cell(m_cols.ip)));
                m_last_address = std::move(*address);
                m_last_ip = is_ipv6_text(m_last_address) ? 0 : parse_ip_arg(m_last_address);
                m_last_ip_text.assign(cell(m_cols.ip));
            }
            const bool ipv6 = is_ipv6_text(m_last_address);
            if (cell(m_cols.port).empty() && !(ipv6 || m_sessions))
                throw UsageError("the port cell is empty");
            m_q.ip = m_last_ip;
            m_q.address = m_last_address;
            m_q.port = cell(m_cols.port).empty() ? 0 : parse_port_arg(cell(m_cols.port));
            m_q.client = m_q.port == 0 || (ipv6 && !m_options.ipv6_index);
            m_times.parse(time, m_parsed);
            m_q.input = time;
            m_q.instants.swap(m_parsed.instants);
            m_q.zone.swap(m_parsed.zone);
            if (!m_q.client && ipv6)
                nat6().lookup(m_q, m_answer);
            else if (!m_q.client)
                m_tracer.lookup(m_q, m_answer);
            if (m_sessions) {
                answer_client_if_held(*m_sessions, m_q, m_answer);
                attribute_users(*m_sessions, m_q, m_answer);
            } else if (m_q.client) {
                m_answer = client_address_without_sessions(m_q);
            }
            if (ipv6 && !m_options.ipv6_index && m_answer.status == Status::none && !is_ipv6_local(m_q.address))
                add_warning(m_answer, "the index holds no IPv6 NAT rules (rules.v6 files, ip6 and inet nft tables)");
            batch_cells(m_q, m_answer, row);
        } catch (const UsageError& e) {
            row.clear();
            row.status = "error";
            row.message = e.what();
        }
    }

    Nat6Tracer& nat6()
    {
        if (!m_nat6) {
            m_ipv6_db = open_index_for_reading(*m_options.ipv6_index);
            m_timeline6.emplace(*m_ipv6_db);
            m_nat6.emplace(*m_timeline6, m_history, false, m_options.evidence);
        }
        return *m_nat6;
    }

    History& m_history;
    Tracer m_tracer;
    std::unique_ptr<SQLite::Database> m_ipv6_db;
    std::optional<Timeline6> m_timeline6;
    std::optional<Nat6Tracer> m_nat6;
    std::unique_ptr<SQLite::Database> m_sessions_db;
    std::optional<SessionHistory> m_sessions;
    TimeParser m_times; ///< a copy: it caches zone offsets
    const BatchColumns& m_cols;
    std::size_t m_width;
    char m_delimiter;
    const BatchOptions& m_options;
    Query m_q;
    ParsedTime m_parsed;
    Answer m_answer;
    BatchCells m_row;
    std::string m_last_ip_text, m_last_address;
    Ipv4 m_last_ip = 0;
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
    if (options.sessions_index)
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
            auto answerer = std::make_shared<RowAnswerer>(history, times, cols, header.size(), reader.delimiter(),
                                                          options, sessions_cache);
            return [answerer](Chunk& c) { answerer->answer_chunk(c); };
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
