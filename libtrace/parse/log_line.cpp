#include "parse/log_line.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <array>

namespace natfw {

namespace {

constexpr std::int64_t k_us = 1'000'000;

bool digits(std::string_view s, std::size_t at, std::size_t n, int& value)
{
    if (at + n > s.size())
        return false;
    value = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        value = value * 10 + (s[i] - '0');
    }
    return true;
}

/// "HH:MM:SS[.frac]" at `at`; advances `at` past it.
bool read_clock(std::string_view s, std::size_t& at, std::int64_t& micros)
{
    int h = 0, m = 0, sec = 0;
    if (!digits(s, at, 2, h) || at + 2 >= s.size() || s[at + 2] != ':' || !digits(s, at + 3, 2, m) ||
        at + 5 >= s.size() || s[at + 5] != ':' || !digits(s, at + 6, 2, sec))
        return false;
    if (h > 23 || m > 59 || sec > 60) // 60: a leap second, as syslog may write it
        return false;
    at += 8;
    std::int64_t frac = 0;
    if (at < s.size() && s[at] == '.') {
        ++at;
        std::int64_t scale = 100'000;
        std::size_t n = 0;
        while (at < s.size() && s[at] >= '0' && s[at] <= '9') {
            frac += (s[at] - '0') * scale;
            scale /= 10;
            ++at;
            ++n;
        }
        if (n == 0)
            return false;
    }
    micros = (std::int64_t{h} * 3600 + m * 60 + std::min(sec, 59)) * k_us + frac;
    return true;
}

/// RFC 3339 / ISO 8601 with an offset: `2020-12-26T13:37:42[.frac](Z|+01:00|+0100)`.
bool read_iso(std::string_view s, std::size_t& at, UnixMicros& out, std::string& problem)
{
    int y = 0, mo = 0, d = 0;
    if (!digits(s, at, 4, y) || at + 4 >= s.size() || s[at + 4] != '-' || !digits(s, at + 5, 2, mo) ||
        at + 7 >= s.size() || s[at + 7] != '-' || !digits(s, at + 8, 2, d) || at + 10 >= s.size() ||
        (s[at + 10] != 'T' && s[at + 10] != ' ')) {
        problem = "no time at the start of the line";
        return false;
    }
    if (!valid_civil_date(y, mo, d)) {
        problem = fmt::format("{:04}-{:02}-{:02} is not a date", y, mo, d);
        return false;
    }
    at += 11;
    std::int64_t tod = 0;
    if (!read_clock(s, at, tod)) {
        problem = "no valid HH:MM:SS after the date";
        return false;
    }
    std::int64_t offset_s = 0;
    if (at < s.size() && s[at] == 'Z') {
        ++at;
    } else if (at < s.size() && (s[at] == '+' || s[at] == '-')) {
        int oh = 0, om = 0;
        std::size_t p = at + 1;
        if (!digits(s, p, 2, oh)) {
            problem = "a bad offset after the time";
            return false;
        }
        p += 2;
        if (p < s.size() && s[p] == ':')
            ++p;
        if (!digits(s, p, 2, om) || oh > 23 || om > 59) {
            problem = "a bad offset after the time";
            return false;
        }
        offset_s = (oh * 3600 + om * 60) * (s[at] == '-' ? -1 : 1);
        at = p + 2;
    } else {
        problem = "the time has no offset (Z or +HH:MM): its zone is unknown";
        return false;
    }
    out = civil_micros(y, mo, d, tod) - offset_s * k_us;
    return true;
}

int month_number(std::string_view s)
{
    static constexpr std::array<std::string_view, 12> k_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    for (std::size_t i = 0; i < k_names.size(); ++i)
        if (s == k_names[i])
            return static_cast<int>(i) + 1;
    return 0;
}

/// `Dec 26 13:37:42[.frac]` (the day may be space-padded).
bool read_yearless(std::string_view s, std::size_t& at, YearlessTime& out, std::string& problem)
{
    out.month = s.size() >= at + 4 && s[at + 3] == ' ' ? month_number(s.substr(at, 3)) : 0;
    if (out.month == 0) {
        problem = "no time at the start of the line";
        return false;
    }
    at += 4;
    if (at < s.size() && s[at] == ' ')
        ++at;
    int d = 0;
    std::size_t n = (at + 1 < s.size() && s[at + 1] >= '0' && s[at + 1] <= '9') ? 2 : 1;
    if (!digits(s, at, n, d) || d < 1 || d > 31 || at + n >= s.size() || s[at + n] != ' ') {
        problem = "no day after the month";
        return false;
    }
    out.day = d;
    at += n + 1;
    if (!read_clock(s, at, out.micros_of_day)) {
        problem = "no valid HH:MM:SS after the day";
        return false;
    }
    return true;
}

std::string_view next_word(std::string_view s, std::size_t& at)
{
    while (at < s.size() && s[at] == ' ')
        ++at;
    auto start = at;
    while (at < s.size() && s[at] != ' ')
        ++at;
    return s.substr(start, at - start);
}

/// After the time: `HOST TAG[PID]: MESSAGE` (or `TAG:`).
bool read_host_tag(std::string_view s, std::size_t at, LogLine& out, std::string& problem)
{
    auto host = next_word(s, at);
    if (host.empty()) {
        problem = "no host after the time";
        return false;
    }
    while (at < s.size() && s[at] == ' ')
        ++at;
    auto colon = s.find(": ", at);
    if (colon == std::string_view::npos && !s.empty() && s.back() == ':')
        colon = s.size() - 1;
    if (colon == std::string_view::npos) {
        problem = "no \"TAG:\" after the host";
        return false;
    }
    auto tag = s.substr(at, colon - at);
    if (auto bracket = tag.find('['); bracket != std::string_view::npos)
        tag = tag.substr(0, bracket);
    if (tag.empty() || tag.find(' ') != std::string_view::npos) {
        problem = "no \"TAG:\" after the host";
        return false;
    }
    out.tag.assign(tag);
    out.message.assign(colon + 2 <= s.size() ? s.substr(colon + 2) : std::string_view{});
    return true;
}

/// RFC 5424 after "<PRI>1 ": TIMESTAMP HOST APP PROCID MSGID SD [MSG].
bool read_rfc5424(std::string_view s, std::size_t at, LogLine& out, std::string& problem)
{
    if (at < s.size() && s[at] == '-') {
        problem = "RFC 5424 line without a time (-)";
        return false;
    }
    if (!read_iso(s, at, out.time, problem))
        return false;
    next_word(s, at); // host
    auto app = next_word(s, at);
    next_word(s, at); // procid
    next_word(s, at); // msgid
    while (at < s.size() && s[at] == ' ')
        ++at;
    if (app.empty() || at >= s.size()) {
        problem = "RFC 5424 line cut short before its structured data";
        return false;
    }
    if (s[at] == '-') {
        ++at;
    } else if (s[at] == '[') {
        bool quoted = false;
        int depth = 0;
        for (; at < s.size(); ++at) {
            char c = s[at];
            if (quoted) {
                if (c == '\\')
                    ++at;
                else if (c == '"')
                    quoted = false;
            } else if (c == '"') {
                quoted = true;
            } else if (c == '[') {
                ++depth;
            } else if (c == ']') {
                --depth;
                if (depth == 0 && (at + 1 >= s.size() || s[at + 1] != '[')) {
                    ++at;
                    break;
                }
            }
        }
        if (depth != 0) {
            problem = "RFC 5424 structured data not closed";
            return false;
        }
    } else {
        problem = "RFC 5424 line without structured data (- or [...])";
        return false;
    }
    if (at < s.size() && s[at] == ' ')
        ++at;
    auto msg = s.substr(std::min(at, s.size()));
    out.tag.assign(app == "-" ? std::string_view{} : app);
    out.message.assign(msg);
    return true;
}

bool read_json(std::string_view s, LogLine& out, std::string& problem)
{
    auto j = nlohmann::json::parse(s, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        problem = "not a JSON object";
        return false;
    }
    auto ts = j.find("__REALTIME_TIMESTAMP");
    if (ts == j.end() || !ts->is_string()) {
        problem = "no __REALTIME_TIMESTAMP";
        return false;
    }
    const auto& text = ts->get_ref<const std::string&>();
    UnixMicros t = 0;
    if (text.empty() || text.size() > 18) {
        problem = "__REALTIME_TIMESTAMP is not a number of microseconds";
        return false;
    }
    for (char c : text) {
        if (c < '0' || c > '9') {
            problem = "__REALTIME_TIMESTAMP is not a number of microseconds";
            return false;
        }
        t = t * 10 + (c - '0');
    }
    out.time = t;
    out.tag.clear();
    if (auto id = j.find("SYSLOG_IDENTIFIER"); id != j.end() && id->is_string())
        out.tag = id->get<std::string>();
    out.message.clear();
    auto msg = j.find("MESSAGE");
    if (msg != j.end() && msg->is_string()) {
        out.message = msg->get<std::string>();
    } else if (msg != j.end() && msg->is_array()) {
        // journalctl writes a message that is not valid UTF-8 as its bytes.
        for (const auto& b : *msg) {
            if (!b.is_number_unsigned() || b.get<unsigned>() > 255) {
                problem = "MESSAGE is neither text nor bytes";
                return false;
            }
            out.message.push_back(static_cast<char>(b.get<unsigned>()));
        }
    }
    return true;
}

} // namespace

bool valid_civil_date(int y, int mo, int d)
{
    return mo >= 1 && mo <= 12 && d >= 1 && d <= 31 &&
           date::year_month_day{date::year{y}, date::month{static_cast<unsigned>(mo)},
                                date::day{static_cast<unsigned>(d)}}
               .ok();
}

UnixMicros civil_micros(int year, int month, int day, std::int64_t micros_of_day)
{
    auto days = date::sys_days{date::year{year} / date::month{static_cast<unsigned>(month)} /
                               date::day{static_cast<unsigned>(day)}};
    return std::int64_t{days.time_since_epoch().count()} * 86400 * k_us + micros_of_day;
}

namespace {

LineVerdict parse_any_line(std::string_view line, LogLine& out, std::string& problem)
{
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
        line.remove_suffix(1);
    if (line.starts_with('\x1e')) // journalctl -o json-seq: each record after an ASCII record separator
        line.remove_prefix(1);
    if (line.empty() || line.starts_with("-- "))
        return LineVerdict::skip;
    out.has_year = true;
    if (line == "{") {
        problem = "a JSON object over several lines (journalctl -o json-pretty?): export with -o json";
        return LineVerdict::malformed;
    }
    if (line.front() == '{')
        return read_json(line, out, problem) ? LineVerdict::record : LineVerdict::malformed;
    std::size_t at = 0;
    if (line.front() == '<') {
        auto close = line.find('>');
        int pri = 0;
        if (close == std::string_view::npos || close < 2 || close > 4 || !digits(line, 1, close - 1, pri) ||
            pri > 191) {
            problem = "a bad <PRI> at the start of the line";
            return LineVerdict::malformed;
        }
        at = close + 1;
        if (line.substr(at).starts_with("1 "))
            return read_rfc5424(line, at + 2, out, problem) ? LineVerdict::record : LineVerdict::malformed;
    }
    bool ok = false;
    if (at < line.size() && line[at] >= '0' && line[at] <= '9') {
        ok = read_iso(line, at, out.time, problem);
    } else {
        out.has_year = false;
        ok = read_yearless(line, at, out.yearless, problem);
    }
    return ok && read_host_tag(line, at, out, problem) ? LineVerdict::record : LineVerdict::malformed;
}

} // namespace

LineVerdict parse_log_line(std::string_view line, LogLine& out, std::string& problem)
{
    auto verdict = parse_any_line(line, out, problem);
    // RFC 5424 lets a message begin with a byte order mark, and a relay that
    // rewrites the line into another form may keep it.
    if (verdict == LineVerdict::record && out.message.starts_with("\xEF\xBB\xBF"))
        out.message.erase(0, 3);
    return verdict;
}

} // namespace natfw
