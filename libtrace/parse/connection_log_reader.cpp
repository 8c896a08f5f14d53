#include "parse/connection_log_reader.hpp"

#include "parse/connection_message.hpp"
#include "util/errors.hpp"
#include "util/time_zone.hpp"

#include <date/tz.h>
#include <fmt/format.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace natfw {

namespace {

constexpr std::int64_t k_us = 1'000'000;
/// Longer lines are not the portal's: read past and counted as malformed.
constexpr std::size_t k_max_line = 64 * 1024;

/// A gzip or plain stream read line by line (zlib reads plain files as they are).
class LineStream {
public:
    LineStream(int fd, const std::string& name) : m_name(name)
    {
        int copy = ::dup(fd);
        m_gz = copy < 0 ? nullptr : gzdopen(copy, "rb");
        if (!m_gz) {
            if (copy >= 0)
                ::close(copy);
            throw FileError(fmt::format("{}: cannot read: {}", name, std::strerror(errno)));
        }
        gzbuffer(m_gz, 256 * 1024);
    }
    LineStream(const LineStream&) = delete;
    LineStream& operator=(const LineStream&) = delete;
    ~LineStream() { gzclose(m_gz); }

    bool compressed() const { return gzdirect(m_gz) == 0; }
    std::int64_t offset() const { return gztell(m_gz); }
    void seek(std::int64_t offset)
    {
        if (gzseek(m_gz, offset, SEEK_SET) != offset)
            fail();
    }
    /// The next line without its end; false at the end. `too_long`: cut at
    /// k_max_line. `terminated`: false for a last line without its newline.
    bool next(std::string& line, bool& too_long, bool* terminated = nullptr)
    {
        line.clear();
        too_long = false;
        if (terminated)
            *terminated = false;
        char buf[8192];
        while (gzgets(m_gz, buf, sizeof buf)) {
            std::size_t n = std::strlen(buf);
            if (line.size() < k_max_line)
                line.append(buf, std::min(n, k_max_line - line.size()));
            else
                too_long = true;
            if (n && buf[n - 1] == '\n') {
                if (!too_long)
                    line.pop_back();
                if (terminated)
                    *terminated = true;
                return true;
            }
        }
        int err = 0;
        gzerror(m_gz, &err);
        if (err != Z_OK && err != Z_BUF_ERROR)
            fail();
        return !line.empty() || too_long;
    }

private:
    [[noreturn]] void fail()
    {
        int err = 0;
        const char* text = gzerror(m_gz, &err);
        throw FileError(fmt::format("{}: cannot read: {}", m_name,
                                    err == Z_ERRNO ? std::strerror(errno) : (text ? text : "zlib error")));
    }
    gzFile m_gz = nullptr;
    std::string m_name;
};

/// Whether the months of two consecutive lines without a year cross a year end.
bool year_end_between(int previous_month, int month) { return previous_month - month >= 6; }

/// Local time without a year: the month and day, quickly, for the first pass.
bool peek_yearless(const std::string& line, YearlessTime& out)
{
    LogLine l;
    std::string problem;
    // Only the time matters here; parse_log_line is cheap on these forms.
    if (line.empty() || line.front() == '{')
        return false;
    if (parse_log_line(line, l, problem) != LineVerdict::record || l.has_year)
        return false;
    out = l.yearless;
    return true;
}

class YearGuess {
public:
    YearGuess(const LogReadOptions& o, LogReadResult& r) : m_options(o), m_result(r)
    {
        m_year = o.resume.year;
        m_month = o.resume.month;
    }
    bool known() const { return m_year != 0; }

    /// From the first line without a year (the stream positioned after it) to the end.
    void guess(LineStream& in, const YearlessTime& first, const date::time_zone* zone)
    {
        if (m_options.first_year) {
            m_year = *m_options.first_year;
            m_month = first.month;
            m_result.year_note = fmt::format("lines without a year: the first taken to be in {} (--log-year)", m_year);
            return;
        }
        int wraps = 0;
        YearlessTime last = first;
        std::string line;
        bool too_long = false;
        YearlessTime t;
        while (in.next(line, too_long))
            if (!too_long && peek_yearless(line, t)) {
                if (year_end_between(last.month, t.month))
                    ++wraps;
                last = t;
            }
        auto limit = date::make_zoned(zone, date::sys_time<std::chrono::microseconds>{
                                                std::chrono::microseconds{m_options.not_after}})
                         .get_local_time();
        auto ymd = date::year_month_day{date::floor<date::days>(limit)};
        int year = static_cast<int>(ymd.year());
        auto local_of = [&](int y) {
            std::int64_t us = 0;
            if (!valid_civil_date(y, last.month, last.day))
                return std::numeric_limits<std::int64_t>::max();
            us = civil_micros(y, last.month, last.day, last.micros_of_day);
            return us;
        };
        if (local_of(year) > limit.time_since_epoch().count())
            --year;
        m_year = year - wraps;
        m_month = first.month;
        m_result.year_note = fmt::format(
            "lines without a year: the last one taken to be in {} (it is not later than the file's modification "
            "time, {} {}), {} year end(s) found walking back, so the first is in {}; give --log-year if that is wrong",
            year, date::format("%F %T", date::floor<std::chrono::seconds>(limit)), zone->name(), wraps, m_year);
    }

    /// The year of the next line without one, in order.
    int year_of(const YearlessTime& t)
    {
        if (m_month && year_end_between(m_month, t.month))
            ++m_year;
        m_month = t.month;
        return m_year;
    }
    int year() const { return m_year; }
    int month() const { return m_month; }

private:
    const LogReadOptions& m_options;
    LogReadResult& m_result;
    int m_year = 0;
    int m_month = 0;
};

void note_problem(LogReadResult& r, std::int64_t line, std::string message)
{
    ++r.malformed;
    if (r.first_problems.size() < k_problems_shown)
        r.first_problems.push_back({line, std::move(message)});
}

} // namespace

std::string infer_vpn_proto(const std::string& connection)
{
    if (connection.size() != 44 || connection.back() != '=')
        return "openvpn";
    for (std::size_t i = 0; i + 1 < connection.size(); ++i) {
        char c = connection[i];
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/')
            return "openvpn";
    }
    return "wireguard";
}

LogReadResult read_connection_log(int fd, const std::string& name, const LogReadOptions& options,
                                  const std::function<void(const ConnectionEvent&)>& on_event)
{
    LogReadResult r;
    LineStream in(fd, name);
    r.compressed = in.compressed();
    if (options.resume.offset > 0)
        in.seek(options.resume.offset);
    YearGuess years(options, r);
    const date::time_zone* zone = options.zone;
    std::int64_t line_no = options.resume.line;
    UnixMicros previous = options.resume.last_time;
    std::string line, problem;
    bool too_long = false;
    LogLine parsed;
    ConnectionEvent event;
    CanonicalAddresses addresses;
    while (true) {
        std::int64_t start = in.offset();
        bool terminated = false;
        if (!in.next(line, too_long, &terminated))
            break;
        if (!terminated && !r.compressed) {
            // Perhaps still being written (a live log, the hook's spool):
            // left for the next run.
            in.seek(start);
            break;
        }
        ++line_no;
        ++r.lines;
        if (too_long) {
            note_problem(r, line_no, fmt::format("a line longer than {} bytes", k_max_line));
            continue;
        }
        auto verdict = parse_log_line(line, parsed, problem);
        if (verdict == LineVerdict::skip)
            continue;
        if (verdict == LineVerdict::malformed) {
            note_problem(r, line_no, problem);
            continue;
        }
        if (!parsed.has_year) {
            if (!zone)
                zone = resolve_zone(options.zone_name, "--tz");
            if (!years.known()) {
                years.guess(in, parsed.yearless, zone);
                in.seek(start);
                bool again = in.next(line, too_long); // the same line, read again
                (void)again;
            }
            int year = years.year_of(parsed.yearless);
            const auto& y = parsed.yearless;
            if (!valid_civil_date(year, y.month, y.day)) {
                note_problem(r, line_no, fmt::format("{:02}-{:02} does not exist in {}", y.month, y.day, year));
                continue;
            }
            auto local = date::local_time<std::chrono::microseconds>{
                std::chrono::microseconds{civil_micros(year, y.month, y.day, y.micros_of_day)}};
            auto info = zone->get_info(date::floor<std::chrono::seconds>(local));
            if (info.result == date::local_info::nonexistent) {
                note_problem(r, line_no, fmt::format("{} does not exist in {} (a daylight saving gap)",
                                                     date::format("%F %T", date::floor<std::chrono::seconds>(local)),
                                                     zone->name()));
                continue;
            }
            auto offset = info.first.offset;
            // In the hour a clock falls back, the lines are in order: the
            // later instant once the earlier would go backwards.
            if (info.result == date::local_info::ambiguous &&
                local.time_since_epoch().count() - std::chrono::microseconds(offset).count() < previous)
                offset = info.second.offset;
            parsed.time = local.time_since_epoch().count() - std::chrono::microseconds(offset).count();
        }
        if (parsed.time < previous - k_us) {
            ++r.backwards;
            if (!r.first_backwards)
                r.first_backwards = LogProblem{line_no, "earlier than the line before it"};
        }
        previous = std::max(previous, parsed.time);
        if (parsed.tag != options.tag)
            continue;
        auto v = parse_connection_message(parsed.message, event, problem, &addresses);
        if (v == MessageVerdict::unrelated)
            continue;
        if (v == MessageVerdict::malformed) {
            note_problem(r, line_no, problem);
            continue;
        }
        event.time = parsed.time;
        event.position = line_no;
        event.vpn_proto = infer_vpn_proto(event.connection);
        ++r.events;
        on_event(event);
    }
    r.end.offset = in.offset();
    r.end.line = line_no;
    r.end.year = years.year();
    r.end.month = years.month();
    r.end.last_time = previous;
    return r;
}

} // namespace natfw
