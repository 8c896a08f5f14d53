#include "query/late_instant.hpp"

#include "store/statements.hpp"
#include "util/time_format.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

namespace natfw {

namespace {

/// Clocks of the complaint's sender and of this host may differ this much without a word.
constexpr UnixSeconds k_clock_slack = 60;
constexpr UnixSeconds k_day = 86'400;

} // namespace

void warn_if_late(SQLite::Database& db, const Query& q, UnixSeconds now, UnixSeconds stale_after, Answer& a)
{
    if (q.instants.empty())
        return;
    const UnixSeconds instant = q.instants.back();
    if (instant > now + k_clock_slack)
        add_warning(a, fmt::format("the time {} is in the future (now is {}): check the complaint's date",
                                   format_iso_utc(instant), format_iso_utc(now)));
    if (stale_after <= 0)
        return;
    SQLite::Statement newest(db, sql::k_newest_snapshot_per_node);
    while (newest.executeStep()) {
        auto node = newest.getColumn(0).getString();
        if (!q.node.empty() && node != q.node)
            continue;
        UnixSeconds last = newest.getColumn(1).getInt64();
        if (instant - last > stale_after)
            add_warning(a, fmt::format("node {}'s newest snapshot is from {}, {} day(s) before the time asked: if "
                                       "its rules changed since, index them (natfw-index) and ask again",
                                       node, format_iso_utc(last), (instant - last) / k_day));
    }
}

} // namespace natfw
