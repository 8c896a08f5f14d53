#include "util/time_format.hpp"

#include <date/date.h>
#include <fmt/format.h>

namespace natfw {

std::string format_iso_utc(UnixSeconds t)
{
    using namespace std::chrono;
    date::sys_seconds tp{seconds{t}};
    auto day = date::floor<date::days>(tp);
    date::year_month_day ymd{day};
    date::hh_mm_ss<seconds> hms{tp - day};
    return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                       static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                       hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

} // namespace natfw
