#include "util/time_parse.hpp"
#include "util/time_zone.hpp"

#include "util/errors.hpp"
#include "util/text.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <array>
#include <cctype>
#include <cstdlib>
#include <optional>

namespace natfw {

namespace {

struct Offset {
    std::string_view name;
    int seconds;
};

// Abbreviations with one meaning in complaints from our region; others (IST,
// BST, ...) mean different offsets in different places and are refused.
constexpr std::array k_abbreviations{
    Offset{"UTC", 0},        Offset{"UT", 0},          Offset{"GMT", 0},
    Offset{"Z", 0},          Offset{"WET", 0},         Offset{"WEST", 3600},
    Offset{"CET", 3600},     Offset{"CEST", 7200},     Offset{"EET", 7200},
    Offset{"EEST", 10800},
};

// RFC 2822 section 4.3 defines these North American zones; only there.
constexpr std::array k_rfc2822_abbreviations{
    Offset{"EST", -5 * 3600}, Offset{"EDT", -4 * 3600}, Offset{"CST", -6 * 3600},
    Offset{"CDT", -5 * 3600}, Offset{"MST", -7 * 3600}, Offset{"MDT", -6 * 3600},
    Offset{"PST", -8 * 3600}, Offset{"PDT", -7 * 3600},
};

constexpr std::array<std::string_view, 12> k_months{"jan", "feb", "mar", "apr", "may", "jun",
                                                    "jul", "aug", "sep", "oct", "nov", "dec"};
constexpr std::array<std::string_view, 7> k_weekdays{"sun", "mon", "tue", "wed",
                                                     "thu", "fri", "sat"};

struct Fields {
    int year = 0;
    unsigned month = 0;
    unsigned day = 0;
    int hour = 0;
    int minute = 0;
    int second = 0;
};

/// Where a time's zone comes from: an offset written in it, an IANA zone
/// written in it, or nothing (then the parser's default zone).
struct Zone {
    enum class Kind { none, offset, iana } kind = Kind::none;
    int offset_seconds = 0;
    const date::time_zone* tz = nullptr;
    std::string label;
};

class Scanner {
public:
    Scanner(std::string_view input, std::string_view text) : m_input(input), m_s(text) {}

    bool done() const { return m_i >= m_s.size(); }
    char peek() const { return done() ? '\0' : m_s[m_i]; }
    bool eat(char c)
    {
        if (peek() != c)
            return false;
        ++m_i;
        return true;
    }
    void expect(char c, std::string_view what)
    {
        if (!eat(c))
            fail(fmt::format("expected {}", what));
    }
    void skip_spaces()
    {
        while (!done() && m_s[m_i] == ' ')
            ++m_i;
    }
    /// Reads between `min` and `max` digits.
    int number(std::size_t min, std::size_t max, std::string_view what)
    {
        std::size_t start = m_i;
        int value = 0;
        while (!done() && m_i - start < max && std::isdigit(static_cast<unsigned char>(m_s[m_i]))) {
            if (m_i - start < 9) // a fraction may have 12 digits; its value is not used, and must not overflow
                value = value * 10 + (m_s[m_i] - '0');
            ++m_i;
        }
        if (m_i - start < min)
            fail(fmt::format("expected {}", what));
        return value;
    }
    std::string_view word()
    {
        std::size_t start = m_i;
        while (!done() && std::isalpha(static_cast<unsigned char>(m_s[m_i])))
            ++m_i;
        return m_s.substr(start, m_i - start);
    }
    std::string_view rest() const { return m_s.substr(std::min(m_i, m_s.size())); }
    std::size_t position() const { return m_i; }
    void back_to(std::size_t position) { m_i = position; }
    void skip_fraction()
    {
        if (eat('.') || eat(','))
            number(1, 12, "digits after the decimal point");
        while (std::isdigit(static_cast<unsigned char>(peek())))
            ++m_i;
    }
    [[noreturn]] void fail(std::string_view why) const
    {
        throw UsageError(fmt::format("cannot read time \"{}\": {}", m_input, why));
    }

private:
    std::string_view m_input;
    std::string_view m_s;
    std::size_t m_i = 0;
};

constexpr std::array<std::string_view, 12> k_month_names{"january", "february", "march",     "april",
                                                         "may",     "june",     "july",      "august",
                                                         "september", "october", "november", "december"};

bool iequals(std::string_view a, std::string_view lower_b)
{
    if (a.size() != lower_b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != lower_b[i])
            return false;
    return true;
}

std::optional<unsigned> month_from_name(std::string_view name)
{
    for (std::size_t i = 0; i < k_months.size(); ++i)
        if (iequals(name, k_months[i]) || iequals(name, k_month_names[i]))
            return static_cast<unsigned>(i + 1);
    return std::nullopt;
}

std::string format_offset(int seconds)
{
    int a = std::abs(seconds);
    return fmt::format("{}{:02}:{:02}", seconds < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/// `+01:00`, `+0100` or `+01`, to the end of the scanner's text.
int read_offset(Scanner& sc)
{
    int sign = sc.eat('-') ? -1 : (sc.expect('+', "'+' or '-' before an offset"), 1);
    int hours = sc.number(2, 2, "two-digit hours in the offset");
    int minutes = 0;
    if (sc.eat(':'))
        minutes = sc.number(2, 2, "two-digit minutes in the offset");
    else if (!sc.done())
        minutes = sc.number(2, 2, "two-digit minutes in the offset");
    if (hours > 23 || minutes > 59)
        sc.fail("the offset is out of range");
    return sign * (hours * 3600 + minutes * 60);
}

/// The comment mail clients add after a date's offset, `+0100 (CET)`: the
/// offset is the time's; a comment naming a zone of another offset means one
/// of them is wrong, and which one no reader can tell.
void check_zone_comment(Scanner& sc, int offset_seconds)
{
    auto rest = sc.rest();
    auto close = rest.find(')');
    if (close == std::string_view::npos)
        sc.fail("the comment after the offset has no closing ')'");
    auto comment = trim(rest.substr(1, close - 1));
    auto disagrees = [&](const auto& zones) {
        for (const auto& z : zones)
            if (comment == z.name && z.seconds != offset_seconds)
                sc.fail(fmt::format("the offset {} and the zone in the comment ({}, {}) disagree; write the one "
                                    "you trust",
                                    format_offset(offset_seconds), z.name, format_offset(z.seconds)));
    };
    disagrees(k_abbreviations);
    disagrees(k_rfc2822_abbreviations);
    sc.back_to(sc.position() + close + 1);
    sc.skip_spaces();
}

/// Reads what follows the clock time: nothing, `Z`, an offset, an
/// abbreviation or an IANA zone name.
Zone read_zone(Scanner& sc, bool rfc2822)
{
    Zone zone;
    if (sc.eat('Z') || sc.eat('z')) {
        zone.kind = Zone::Kind::offset;
        zone.label = "UTC";
    }
    sc.skip_spaces();
    if (sc.done())
        return zone;
    if (zone.kind != Zone::Kind::none)
        sc.fail(fmt::format("unexpected \"{}\" after the zone", sc.rest()));
    if (sc.peek() == '+' || sc.peek() == '-') {
        zone.kind = Zone::Kind::offset;
        zone.offset_seconds = read_offset(sc);
        zone.label = format_offset(zone.offset_seconds);
        sc.skip_spaces();
        if (sc.peek() == '(')
            check_zone_comment(sc, zone.offset_seconds);
        if (!sc.done())
            sc.fail(fmt::format("unexpected \"{}\" after the offset", sc.rest()));
        return zone;
    }
    std::string name(sc.rest());
    if (iequals(name, "am") || iequals(name, "pm"))
        sc.fail("a 12-hour clock (AM/PM) is not read; write the 24-hour time, as 13:37:42");
    auto match = [&](const auto& table) -> bool {
        for (const auto& a : table) {
            if (name == a.name) {
                zone.kind = Zone::Kind::offset;
                zone.offset_seconds = a.seconds;
                zone.label = fmt::format("{} ({})", a.name, format_offset(a.seconds));
                return true;
            }
        }
        return false;
    };
    if (match(k_abbreviations) || (rfc2822 && match(k_rfc2822_abbreviations)))
        return zone;
    bool abbreviation = name.size() >= 2 && name.size() <= 5 &&
                        std::all_of(name.begin(), name.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
    if (abbreviation)
        sc.fail(fmt::format("the zone abbreviation {} is ambiguous or unknown; write an offset "
                            "(+01:00) or an IANA zone name (Europe/Amsterdam)",
                            name));
    try {
        zone.tz = date::locate_zone(name);
    } catch (const std::exception&) {
        sc.fail(fmt::format("unknown time zone \"{}\"; write an offset (+01:00) or an IANA zone "
                            "name (Europe/Amsterdam)",
                            name));
    }
    zone.kind = Zone::Kind::iana;
    zone.label = name;
    return zone;
}

void read_clock(Scanner& sc, Fields& f)
{
    f.hour = sc.number(1, 2, "the hour");
    sc.expect(':', "':' after the hour");
    f.minute = sc.number(2, 2, "two-digit minutes");
    if (!sc.eat(':'))
        sc.fail("the seconds are missing (a time to the minute cannot single out a ruleset)");
    f.second = sc.number(2, 2, "two-digit seconds");
    sc.skip_fraction();
}

/// `[Sat, ]26 Dec 2020 13:37:42 +0100`
Zone read_zone(Scanner& sc, bool rfc2822);

/// `Sat Dec 26 13:37:42 CET 2020` (date(1)) or `Sat Dec 26 13:37:42 2020`
/// (ctime): the zone, if any, stands before the year.
Fields read_ctime(Scanner& sc, std::string_view input, std::optional<Zone>& zone)
{
    Fields f;
    auto month = month_from_name(sc.word());
    if (!month)
        sc.fail("expected a month name");
    f.month = *month;
    sc.skip_spaces();
    f.day = static_cast<unsigned>(sc.number(1, 2, "the day of the month"));
    sc.skip_spaces();
    read_clock(sc, f);
    sc.skip_spaces();
    if (!std::isdigit(static_cast<unsigned char>(sc.peek()))) {
        std::string_view rest = sc.rest();
        std::string_view token = rest.substr(0, rest.find(' '));
        Scanner zone_scanner(input, token);
        zone = read_zone(zone_scanner, false);
        for (std::size_t i = 0; i < token.size(); ++i)
            sc.eat(token[i]);
        sc.skip_spaces();
    }
    if (sc.done())
        sc.fail("the year is missing (syslog times leave it out); write the date with its year, as 2020-12-26 "
                "13:37:42");
    f.year = sc.number(4, 4, "a four-digit year");
    if (!sc.done())
        sc.fail(fmt::format("unexpected \"{}\" after the year", sc.rest()));
    return f;
}

Fields read_rfc2822(Scanner& sc, std::string_view input, std::optional<unsigned>& weekday,
                    std::optional<Zone>& ctime_zone, bool& ctime)
{
    Fields f;
    if (std::isalpha(static_cast<unsigned char>(sc.peek()))) {
        auto start = sc.position();
        auto name = sc.word();
        if (month_from_name(name)) {
            // `Dec 26 13:37:42 [2020]`: syslog's form, or date(1)'s without the day name.
            sc.back_to(start);
            ctime = true;
            return read_ctime(sc, input, ctime_zone);
        }
        auto it = std::find_if(k_weekdays.begin(), k_weekdays.end(),
                               [&](std::string_view d) { return iequals(name.substr(0, 3), d); });
        if (it == k_weekdays.end() || (name.size() != 3 && name.size() < 6))
            sc.fail("not a time this tool reads (write e.g. 2020-12-26 13:37:42, an RFC 2822 date, or UNIX "
                    "seconds)");
        weekday = static_cast<unsigned>(it - k_weekdays.begin());
        bool comma = sc.eat(',');
        sc.skip_spaces();
        if (!comma && std::isalpha(static_cast<unsigned char>(sc.peek()))) {
            ctime = true;
            return read_ctime(sc, input, ctime_zone);
        }
    }
    f.day = static_cast<unsigned>(sc.number(1, 2, "the day of the month"));
    sc.skip_spaces();
    auto month = month_from_name(sc.word());
    if (!month)
        sc.fail("expected a month name");
    f.month = *month;
    sc.skip_spaces();
    f.year = sc.number(4, 4, "a four-digit year");
    sc.skip_spaces();
    read_clock(sc, f);
    return f;
}

/// Apache's `26/Dec/2020:13:37:42 +0100`
Fields read_common_log(Scanner& sc)
{
    Fields f;
    f.day = static_cast<unsigned>(sc.number(1, 2, "the day of the month"));
    sc.expect('/', "'/'");
    auto month = month_from_name(sc.word());
    if (!month)
        sc.fail("expected a month name");
    f.month = *month;
    sc.expect('/', "'/'");
    f.year = sc.number(4, 4, "a four-digit year");
    sc.expect(':', "':' after the year");
    read_clock(sc, f);
    return f;
}

/// `2020-12-26 13:37:42`, `2020/12/26 13:37:42`, `2020-12-26T13:37:42.5Z`
Fields read_iso(Scanner& sc)
{
    Fields f;
    f.year = sc.number(4, 4, "the year first, as in 2020-12-26 13:37:42 (day-first dates are ambiguous)");
    char sep = sc.peek();
    if (sep != '-' && sep != '/')
        sc.fail("expected a date such as 2020-12-26 13:37:42");
    sc.eat(sep);
    f.month = static_cast<unsigned>(sc.number(1, 2, "the month"));
    sc.expect(sep, fmt::format("'{}' after the month", sep));
    f.day = static_cast<unsigned>(sc.number(1, 2, "the day"));
    if (!(sc.eat('T') || sc.eat('t') || sc.eat(' ')))
        sc.fail("the clock time is missing (write 2020-12-26 13:37:42)");
    sc.skip_spaces();
    read_clock(sc, f);
    return f;
}

/// `explicit_unix`: written with '@', so any length up to 11 digits is meant
/// as seconds; a bare number must look like one (9 to 11 digits).
UnixSeconds unix_from_digits(Scanner& sc, std::string_view digits, bool explicit_unix)
{
    if (digits.size() == 13)
        sc.fail("a 13-digit number looks like milliseconds; give UNIX seconds");
    if (digits.empty() || digits.size() > 11 || (!explicit_unix && digits.size() < 9))
        sc.fail("UNIX seconds have 9 to 11 digits (or write @SECONDS)");
    return std::strtoll(std::string(digits).c_str(), nullptr, 10);
}

bool all_digits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

} // namespace

TimeParser::TimeParser(std::string zone_name)
    : m_zone_name(std::move(zone_name)), m_utc_name(utc_zone_name(m_zone_name))
{
}

const date::time_zone* TimeParser::default_zone() const
{
    if (!m_default_zone)
        m_default_zone = resolve_zone(m_zone_name);
    return m_default_zone;
}

ParsedTime TimeParser::parse(std::string_view input) const
{
    ParsedTime out;
    parse(input, out);
    return out;
}

namespace {

/// Digits at fixed positions; -1 when any is not a digit.
int digits_at(std::string_view s, std::size_t at, std::size_t n)
{
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

} // namespace

std::optional<int> TimeParser::cached_local_offset(std::int64_t local) const
{
    if (local >= m_cache_lo && local < m_cache_hi)
        return m_cache_offset;
    if (!m_utc_name.empty())
        return 0;
    const date::time_zone* tz = default_zone();
    auto info = tz->get_info(date::local_seconds{std::chrono::seconds{local}});
    if (info.result != date::local_info::unique)
        return std::nullopt;
    // Two days inside the period in local time, no transition is near enough
    // to make a local time there ambiguous or missing.
    constexpr std::int64_t k_margin = 2 * 86400;
    auto offset = info.first.offset.count();
    auto begin = info.first.begin.time_since_epoch().count(), end = info.first.end.time_since_epoch().count();
    m_cache_lo = begin + offset + k_margin;
    m_cache_hi = end + offset - k_margin;
    m_cache_offset = static_cast<int>(offset);
    return m_cache_offset;
}

bool TimeParser::parse_fixed_iso(std::string_view s, ParsedTime& out) const
{
    if (s.size() < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != ' ') || s[13] != ':' || s[16] != ':')
        return false;
    int year = digits_at(s, 0, 4), month = digits_at(s, 5, 2), day = digits_at(s, 8, 2);
    int hour = digits_at(s, 11, 2), minute = digits_at(s, 14, 2), second = digits_at(s, 17, 2);
    if (year < 0 || month < 1 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 ||
        second > 59)
        return false;
    std::size_t i = 19;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        std::size_t start = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start)
            return false;
    }
    date::year_month_day ymd{date::year{year}, date::month{static_cast<unsigned>(month)},
                             date::day{static_cast<unsigned>(day)}};
    if (!ymd.ok())
        return false;
    std::int64_t wall = date::sys_days{ymd}.time_since_epoch().count() * 86400LL + hour * 3600 + minute * 60 + second;
    std::string_view zone = s.substr(i);
    out.instants.clear();
    if (zone == "Z" || zone == "z") {
        out.instants.push_back(wall);
        out.zone.assign("UTC");
        return true;
    }
    if (zone.size() == 6 || zone.size() == 5) { // ±HH:MM or ±HHMM
        bool colon = zone.size() == 6;
        if ((zone[0] != '+' && zone[0] != '-') || (colon && zone[3] != ':'))
            return false;
        int hh = digits_at(zone, 1, 2), mm = digits_at(zone, colon ? 4 : 3, 2);
        if (hh < 0 || hh > 23 || mm < 0 || mm > 59)
            return false;
        int offset = (zone[0] == '-' ? -1 : 1) * (hh * 3600 + mm * 60);
        out.instants.push_back(wall - offset);
        out.zone.assign(format_offset(offset));
        return true;
    }
    if (!zone.empty())
        return false;
    auto offset = cached_local_offset(wall);
    if (!offset)
        return false; // near a DST change: the general reader decides
    out.instants.push_back(wall - *offset);
    out.zone.assign(m_utc_name.empty() ? std::string_view(default_zone()->name()) : std::string_view(m_utc_name));
    return true;
}

void TimeParser::parse(std::string_view input, ParsedTime& out) const
{
    if (parse_fixed_iso(input, out))
        return;
    out.instants.clear();
    auto one = [&](UnixSeconds t, std::string_view zone) {
        out.instants.push_back(t);
        out.zone.assign(zone);
    };
    std::string_view text = trim(input);
    Scanner sc(input, text);
    if (text.empty())
        sc.fail("it is empty");
    if (text.front() == '@') {
        std::string_view digits = text.substr(1, text.find('.') - 1);
        std::string_view fraction = text.find('.') == std::string_view::npos ? "0" : text.substr(text.find('.') + 1);
        if (!all_digits(digits) || !all_digits(fraction))
            sc.fail("expected UNIX seconds after '@'");
        return one(unix_from_digits(sc, digits, true), "unix seconds"); // a fraction is cut to the second
    }
    if (all_digits(text))
        return one(unix_from_digits(sc, text, false), "unix seconds");
    // UNIX seconds with a fraction, as logs write them: cut to the second.
    if (auto dot = text.find('.'); dot != std::string_view::npos && dot >= 9 && all_digits(text.substr(0, dot)) &&
                                   all_digits(text.substr(dot + 1)))
        return one(unix_from_digits(sc, text.substr(0, dot), false), "unix seconds");

    Fields f;
    std::optional<unsigned> weekday;
    std::optional<Zone> ctime_zone;
    bool rfc2822 = false, ctime = false;
    auto first_non_digit = text.find_first_not_of("0123456789");
    if (std::isalpha(static_cast<unsigned char>(text.front())) ||
        (first_non_digit <= 2 && text[first_non_digit] == ' ')) {
        rfc2822 = true;
        f = read_rfc2822(sc, input, weekday, ctime_zone, ctime);
    } else if (first_non_digit <= 2 && text[first_non_digit] == '/') {
        if (first_non_digit + 1 < text.size() && std::isdigit(static_cast<unsigned char>(text[first_non_digit + 1])))
            sc.fail(fmt::format("{} is a numeric date whose order (month/day or day/month) depends on who wrote "
                                "it; write it year first, as 2020-12-26",
                                text.substr(0, text.find(' '))));
        f = read_common_log(sc);
    } else {
        f = read_iso(sc);
    }
    Zone zone = ctime ? ctime_zone.value_or(Zone{}) : read_zone(sc, rfc2822);

    date::year_month_day ymd{date::year{f.year}, date::month{f.month}, date::day{f.day}};
    if (!ymd.ok())
        sc.fail(fmt::format("{:04}-{:02}-{:02} is not a date", f.year, f.month, f.day));
    if (f.hour > 23 || f.minute > 59 || f.second > 59)
        sc.fail(fmt::format("{:02}:{:02}:{:02} is not a time of day", f.hour, f.minute, f.second));
    auto days = date::sys_days{ymd};
    if (weekday && date::weekday{days}.c_encoding() != *weekday)
        sc.fail(fmt::format("the day name does not match {:04}-{:02}-{:02}, a {}", f.year, f.month,
                            f.day, date::format("%A", date::weekday{days})));
    UnixSeconds wall = days.time_since_epoch().count() * 86400LL + f.hour * 3600 + f.minute * 60 + f.second;

    if (zone.kind == Zone::Kind::offset)
        return one(wall - zone.offset_seconds, zone.label);

    if (zone.kind != Zone::Kind::iana && !m_utc_name.empty())
        return one(wall, m_utc_name);
    const date::time_zone* tz = zone.kind == Zone::Kind::iana ? zone.tz : default_zone();
    std::string_view label = zone.kind == Zone::Kind::iana ? std::string_view(zone.label) : std::string_view(tz->name());
    date::local_seconds local{std::chrono::seconds{wall}};
    auto info = tz->get_info(local);
    switch (info.result) {
    case date::local_info::unique:
        return one(wall - info.first.offset.count(), label);
    case date::local_info::ambiguous:
        one(wall - info.first.offset.count(), label);
        out.instants.push_back(wall - info.second.offset.count());
        out.zone += " (DST overlap: the time occurs twice)";
        return;
    case date::local_info::nonexistent:
    default:
        sc.fail(fmt::format("{:04}-{:02}-{:02} {:02}:{:02}:{:02} does not exist in {} (skipped "
                            "by a daylight-saving change)",
                            f.year, f.month, f.day, f.hour, f.minute, f.second, label));
    }
}

} // namespace natfw
