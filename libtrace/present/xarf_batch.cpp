#include "present/xarf_batch.hpp"
#include "present/printable_json.hpp"

#include "batch/complaint_answerer.hpp"
#include "batch/row_writer.hpp"
#include "parse/xarf_reader.hpp"
#include "present/answer_json.hpp"
#include "query/session_cache.hpp"
#include "util/errors.hpp"

#include <fmt/format.h>

namespace natfw {

namespace {

/// Written to the output in pieces of about this size.
constexpr std::size_t k_flush_bytes = 1 << 16;

constexpr std::string_view k_no_port =
    "the report has no source_port: a NATed address needs its source port (only a VPN client's own address "
    "is answered without one, from indexed sessions)";

nlohmann::ordered_json text_or_null(const std::string& s)
{
    return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

class XarfAnswers {
public:
    XarfAnswers(std::FILE* out, History& history, const TimeParser& times, const BatchOptions& options,
                XarfOutput format) // `options` outlives it
        : m_out(out), m_answerer(history, times, options, std::make_shared<SessionCache>()), m_format(format)
    {
        if (m_format == XarfOutput::csv) {
            RowWriter w(m_buf, ',');
            for (const char* name : k_xarf_columns)
                w.cell(name, false);
            for (const char* name : k_batch_columns)
                w.cell(name, false);
            if (m_answerer.with_users())
                for (const char* name : k_batch_user_columns)
                    w.cell(name, false);
            w.end_row();
        }
    }

    void answer(const XarfReport& r)
    {
        std::string error = r.error;
        if (error.empty()) {
            try {
                if (r.source_identifier.empty())
                    throw UsageError("the report has no source_identifier");
                if (r.timestamp.empty())
                    throw UsageError("the report has no timestamp");
                Complaint c;
                c.time = r.timestamp;
                c.address = r.source_identifier;
                c.port = r.source_port;
                c.proto = r.protocol;
                c.first_seen = r.first_seen;
                c.last_seen = r.last_seen;
                c.lenient_proto = true;
                c.port_missing = k_no_port;
                m_answerer.answer(c, m_q, m_answer);
            } catch (const UsageError& e) {
                error = e.what();
            }
        }
        if (m_format == XarfOutput::csv)
            write_csv(r, error);
        else
            write_json(r, error);
        if (m_buf.size() >= k_flush_bytes)
            flush();
        m_counts.count(error.empty() ? status_name(m_answer.status) : "error");
    }

    void flush()
    {
        write_out(m_out, m_buf);
        m_buf.clear();
    }
    const BatchSummary& counts() const { return m_counts; }

private:
    void write_json(const XarfReport& r, const std::string& error)
    {
        nlohmann::ordered_json out = {
            {"xarf", {{"report", r.number}, {"line", r.line}, {"report_id", text_or_null(r.report_id)}}}};
        if (error.empty()) {
            out.update(answer_json(m_q, m_answer));
        } else {
            out["status"] = "error";
            out["message"] = error;
            out["user"] = nullptr;
            out["user_status"] = nullptr;
        }
        m_buf += printable_json(out);
        m_buf += '\n';
    }

    void write_csv(const XarfReport& r, const std::string& error)
    {
        RowWriter w(m_buf, ',');
        w.known_cell(std::to_string(r.number));
        w.known_cell(std::to_string(r.line));
        for (const std::string* field : {&r.report_id, &r.source_identifier, &r.source_port, &r.protocol,
                                         &r.timestamp, &r.first_seen, &r.last_seen})
            w.cell(*field, true);
        if (error.empty()) {
            batch_cells(m_q, m_answer, m_row);
        } else {
            m_row.clear();
            m_row.status = "error";
            m_row.message = error;
        }
        write_batch_cells(w, m_row, m_answerer.with_users());
        w.end_row();
    }

    std::FILE* m_out;
    ComplaintAnswerer m_answerer;
    XarfOutput m_format;
    std::string m_buf;
    Query m_q;
    Answer m_answer;
    BatchCells m_row;
    BatchSummary m_counts;
};

} // namespace

XarfSummary run_xarf(std::FILE* in, std::FILE* out, History& history, const TimeParser& times,
                     BatchOptions options, XarfOutput format)
{
    options.details = format == XarfOutput::json_lines;
    auto view = history.for_worker(); // packs in hand, as a batch worker has them
    XarfAnswers answers(out, view ? *view : history, times, options, format);
    XarfSummary sum;
    sum.skipped_lines = read_xarf(in, [&](XarfReport& r) { answers.answer(r); }).skipped_lines;
    answers.flush();
    sum.counts = answers.counts();
    return sum;
}

} // namespace natfw
