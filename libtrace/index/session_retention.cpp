#include "index/session_retention.hpp"

#include "store/event_blocks.hpp"
#include "store/session_blocks.hpp"
#include "store/sql_values.hpp"
#include "store/statements.hpp"

#include <SQLiteCpp/Statement.h>
#include <SQLiteCpp/Transaction.h>

#include <algorithm>

namespace natfw {

namespace {

constexpr UnixMicros k_us = 1'000'000;
constexpr UnixSeconds k_day = 86'400;

} // namespace

UnixMicros retention_horizon(UnixSeconds now, std::int64_t keep_seconds)
{
    UnixSeconds t = now - keep_seconds;
    t -= ((t % k_day) + k_day) % k_day;
    return t * k_us;
}

RetentionSummary apply_session_retention(SQLite::Database& db, const RetentionOptions& options, UnixSeconds now)
{
    SQLite::Transaction tx(db, SQLite::TransactionBehavior::IMMEDIATE);
    if (options.keep) {
        SQLite::Statement set(db, sql::k_set_keep_seconds);
        bind_optional(set, 1, *options.keep);
        set.exec();
    }
    SQLite::Statement read(db, sql::k_retention);
    read.executeStep();
    RetentionSummary sum;
    sum.horizon = optional_int64(read, 0);
    auto keep = optional_int64(read, 1);
    read.reset();

    std::optional<UnixMicros> wanted;
    if (keep)
        wanted = retention_horizon(now, *keep);
    if (options.forget_before)
        wanted = std::max(wanted.value_or(INT64_MIN), *options.forget_before * k_us);
    if (!wanted || (sum.horizon && *wanted <= *sum.horizon)) {
        tx.commit();
        return sum;
    }
    // The writer runs with secure_delete (store/database.cpp): what is deleted is zeroed.
    auto before_horizon = [&](const char* statement) {
        SQLite::Statement st(db, statement);
        st.bind(1, *wanted);
        return st.exec();
    };
    std::vector<std::int64_t> events;
    {
        SQLite::Statement list(db, sql::k_forget_list_events);
        list.bind(1, *wanted);
        while (list.executeStep())
            events.push_back(list.getColumn(0).getInt64());
    }
    sum.events_forgotten = forget_events(db, std::move(events));
    // Blocks name users too: those of the /24s that lose sessions are derived again.
    auto nets = session_nets(db, sql::k_session_nets_forgotten, *wanted);
    sum.sessions_forgotten = before_horizon(sql::k_forget_sessions);
    derive_session_blocks(db, nets);
    SQLite::Statement set(db, sql::k_set_forgotten_before);
    set.bind(1, *wanted);
    set.bind(2, now);
    set.exec();
    tx.commit();
    sum.horizon = wanted;
    sum.moved = true;
    return sum;
}

bool truncate_wal(SQLite::Database& db)
{
    SQLite::Statement st(db, sql::k_wal_checkpoint_truncate);
    return st.executeStep() && st.getColumn(0).getInt() == 0;
}

} // namespace natfw
