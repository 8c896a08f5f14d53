#include "util/time_format.hpp"

#include <date/date.h>
#include <fmt/format.h>

namespace natfw {

std::string format_iso_utc(UnixSeconds t)
{
    std::string out;
    append_iso_utc(out, t);
    return out;
}

std::string format_iso_micros(std::int64_t us)
{
    const auto s = seconds_of_micros(us);
    const auto fraction = us - s * 1'000'000;
    auto text = format_iso_utc(s);
    if (fraction != 0)
        text.insert(text.size() - 1, fmt::format(".{:06}", fraction));
    return text;
}

void append_iso_utc(std::string& out, UnixSeconds t)
{
    using namespace std::chrono;
    date::sys_seconds tp{seconds{t}};
    auto day = date::floor<date::days>(tp);
    date::year_month_day ymd{day};
    auto secs = (tp - day).count();
    int year = static_cast<int>(ymd.year());
    if (year < 0 || year > 9999) {
        out += fmt::format("{}-{:02}-{:02}T{:02}:{:02}:{:02}Z", year, static_cast<unsigned>(ymd.month()),
                           static_cast<unsigned>(ymd.day()), secs / 3600, secs / 60 % 60, secs % 60);
        return;
    }
    // Written digit by digit: this runs once or more for every batch row.
    char buf[20] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0', '0', ':', '0', '0', ':', '0', '0', 'Z'};
    auto put = [&](int at, long long v, int width) {
        for (int i = at + width - 1; i >= at; --i, v /= 10)
            buf[i] = static_cast<char>('0' + v % 10);
    };
    put(0, year, 4);
    put(5, static_cast<unsigned>(ymd.month()), 2);
    put(8, static_cast<unsigned>(ymd.day()), 2);
    put(11, secs / 3600, 2);
    put(14, secs / 60 % 60, 2);
    put(17, secs % 60, 2);
    out.append(buf, sizeof buf);
}

} // namespace natfw
