#include "index/session_ingest.hpp"

#include "index/portal_db.hpp"
#include "index/log_read_ahead.hpp"
#include "store/session_store.hpp"
#include "util/clock.hpp"
#include "util/errors.hpp"
#include "util/fd.hpp"
#include "util/time_format.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <fmt/ostream.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace natfw {

namespace {

std::int64_t mtime_ns_of(const struct stat& st)
{
    return std::int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec;
}

/// Standard input copied to an unnamed file: lines without a year are read twice.
Fd spool_stdin()
{
    std::FILE* tmp = std::tmpfile();
    if (!tmp)
        throw FileError(fmt::format("-: cannot make a temporary file: {}", std::strerror(errno)));
    Fd fd(::dup(fileno(tmp)));
    std::fclose(tmp);
    char buf[1 << 16];
    ssize_t n = 0;
    while ((n = ::read(STDIN_FILENO, buf, sizeof buf)) > 0)
        if (::write(fd.get(), buf, static_cast<std::size_t>(n)) != n)
            throw FileError(fmt::format("-: cannot copy standard input: {}", std::strerror(errno)));
    if (n < 0)
        throw FileError(fmt::format("-: cannot read: {}", std::strerror(errno)));
    ::lseek(fd.get(), 0, SEEK_SET);
    return fd;
}

class Ingest {
public:
    Ingest(SQLite::Database& db, const SessionIngestOptions& o, std::ostream& diag)
        : m_store(db), m_options(o), m_diag(diag), m_now(now_seconds())
    {
    }

    void log_file(const std::string& name, SourceKind kind)
    {
        if (name == "-")
            return log_stdin();
        Fd fd(::open(name.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
        struct stat st {};
        if (fd.get() < 0 || ::fstat(fd.get(), &st) != 0)
            throw FileError(fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
        if (!S_ISREG(st.st_mode))
            throw FileError(fmt::format("{}: cannot read: not a regular file", name));
        auto path = std::filesystem::absolute(name).lexically_normal().string();
        SourceState s = m_store.source({kind, path, std::make_pair(std::int64_t(st.st_dev), std::int64_t(st.st_ino))},
                                       m_now);
        s.name = path;
        if (!s.is_new && s.size == st.st_size && s.mtime_ns == mtime_ns_of(st)) {
            if (m_options.verbose)
                fmt::print(m_diag, "natfw-index: {}: unchanged since the last run\n", path);
            return;
        }
        if (!s.is_new && st.st_size < s.size) {
            // Truncated in place (logrotate's copytruncate): new text from the
            // start; line numbers go on so that no two lines share one.
            fmt::print(m_diag, "notice: {} is shorter than when last read: read again from its start\n", path);
            s.resume.offset = 0;
            s.resume.year = 0;
            s.resume.month = 0;
        }
        s.size = st.st_size;
        s.mtime_ns = mtime_ns_of(st);
        read_log(fd.get(), s, mtime_ns_of(st) / 1000);
    }

    void portal_db(const std::string& name)
    {
        auto path = std::filesystem::absolute(name).lexically_normal().string();
        SourceState s = m_store.source({SourceKind::db, path, std::nullopt}, m_now);
        auto r = read_portal_db(m_store, s, path, m_diag);
        if (r.unchanged && m_options.verbose)
            fmt::print(m_diag, "natfw-index: {}: unchanged since the last run\n", path);
        m_summary.lines += r.rows;
        m_summary.new_events += r.new_events;
        m_summary.malformed += r.malformed;
        m_store.update_source(s, std::nullopt, m_now);
        ++m_summary.sources_read;
        if ((m_options.verbose && !r.unchanged) || r.new_events)
            fmt::print(m_diag, "natfw-index: {}: {} row(s) read, {} new event(s)\n", path, r.rows, r.new_events);
    }

    SessionIngestSummary finish()
    {
        m_summary.forgotten_skipped = m_store.forgotten_skipped();
        if (m_summary.new_events > 0)
            m_summary.sessions = m_store.rebuild_sessions();
        return m_summary;
    }

    void failed(const std::string& name, const std::string& why)
    {
        ++m_summary.source_errors;
        fmt::print(m_diag, "error: {}\n", why.find(name) == std::string::npos ? name + ": " + why : why);
    }

private:
    void log_stdin()
    {
        Fd fd = spool_stdin();
        // Each reading of standard input is a source of its own: the same
        // export piped in twice is then two reports of the same events.
        auto name = fmt::format("- (standard input, read at {})", format_iso_utc(m_now));
        SourceState s = m_store.source({SourceKind::log, name, std::nullopt}, m_now);
        read_log(fd.get(), s, m_now * 1'000'000, "standard input");
    }

    /// `shown`: how messages name the source (its stored name when empty).
    void read_log(int fd, SourceState& s, UnixMicros not_after, std::string shown = {})
    {
        if (shown.empty())
            shown = s.name;
        LogReadOptions o;
        o.zone_name = m_options.tz;
        o.first_year = m_options.log_year;
        o.not_after = not_after;
        o.resume = s.resume;
        std::int64_t added = 0;
        auto r = read_connection_log_ahead(fd, shown, o, [&](ConnectionEvent&& e) {
            s.covered_from = s.covered_from ? std::min(*s.covered_from, e.time) : e.time;
            s.covered_to = s.covered_to ? std::max(*s.covered_to, e.time) : e.time;
            added += m_store.add_event(s.id, std::move(e));
        });
        s.resume = r.end;
        m_store.update_source(s, r.year_note, m_now);
        ++m_summary.sources_read;
        m_summary.lines += r.lines;
        m_summary.new_events += added;
        m_summary.malformed += r.malformed;
        if (!r.year_note.empty())
            fmt::print(m_diag, "notice: {}: {}\n", shown, r.year_note);
        for (const auto& p : r.first_problems)
            fmt::print(m_diag, "warning: {}:{}: {}\n", shown, p.line, p.message);
        if (r.malformed > static_cast<std::int64_t>(r.first_problems.size()))
            fmt::print(m_diag, "warning: {}: {} more line(s) not understood\n", shown,
                       r.malformed - static_cast<std::int64_t>(r.first_problems.size()));
        if (r.backwards)
            fmt::print(m_diag, "warning: {}:{}: time goes backwards ({} line(s) earlier than the line before them; "
                               "sessions are built in time order)\n",
                       shown, r.first_backwards->line, r.backwards);
        if (m_options.verbose || r.lines)
            fmt::print(m_diag, "natfw-index: {}: {} line(s) read, {} event(s), {} new\n", shown, r.lines, r.events,
                       added);
    }

    SessionStore m_store;
    const SessionIngestOptions& m_options;
    std::ostream& m_diag;
    std::int64_t m_now;
    SessionIngestSummary m_summary;
};

} // namespace

SessionIngestSummary ingest_sessions(SQLite::Database& db, const SessionIngestOptions& options, std::ostream& diag)
{
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    Ingest ingest(db, options, diag);
    auto each = [&](const std::vector<std::string>& names, auto&& read) {
        for (const auto& n : names) {
            try {
                read(n);
            } catch (const FileError& e) {
                ingest.failed(n, e.what());
            } catch (const UsageError&) {
                throw;
            }
        }
    };
    each(options.logs, [&](const std::string& n) { ingest.log_file(n, SourceKind::log); });
    each(options.spools, [&](const std::string& n) { ingest.log_file(n, SourceKind::spool); });
    each(options.portal_dbs, [&](const std::string& n) { ingest.portal_db(n); });
    auto summary = ingest.finish();
    tx.commit();
    return summary;
}

} // namespace natfw
