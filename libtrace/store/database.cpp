#include "store/database.hpp"

#include "util/errors.hpp"
#include "store/event_blocks.hpp"
#include "store/schema_sql.hpp"
#include "store/session_blocks.hpp"
#include "store/statements.hpp"
#include "store/index_store.hpp"
#include "store/rule_block.hpp"
#include "store/snapshot_row_check.hpp"
#include "store/sql_values.hpp"
#include "store/stored_rule.hpp"
#include "util/fd.hpp"

#include <SQLiteCpp/Transaction.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include <fmt/format.h>
#include <fmt/std.h>
#include <fmt/ostream.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <unordered_map>

namespace natfw {

namespace {

constexpr int k_busy_timeout_ms = 10'000;

int schema_version(SQLite::Database& db)
{
    return db.execAndGet("PRAGMA user_version").getInt();
}

/// Sets rule.goto_chain for rules stored before it existed: only the rule's
/// text said so; tokenised once, here.
void fill_goto_chain(SQLite::Database& db)
{
    SQLite::Statement rules(db, sql::k_rules_maybe_goto), set_goto(db, sql::k_set_goto);
    while (rules.executeStep()) {
        if (!continues_with_goto(rules.getColumn(2).getString()))
            continue;
        set_goto.reset();
        set_goto.bind(1, rules.getColumn(0).getInt64());
        set_goto.bind(2, rules.getColumn(1).getInt());
        set_goto.exec();
    }
}

/// Schema 8: the event rows go into blocks, and each session's evidence names
/// the events by their new ids.
void move_events_into_blocks(SQLite::Database& db)
{
    std::unordered_map<std::int64_t, std::int64_t> new_id;
    {
        SQLite::Statement rows(db, sql::k_v7_events);
        EventBlockWriter writer(db);
        std::int64_t block_source = -1, next_block = 0, place = 0;
        auto first_block = [&] {
            SQLite::Statement last(db, sql::k_last_event_block);
            last.executeStep();
            return last.getColumn(0).getInt64() + 1;
        };
        while (rows.executeStep()) {
            ConnectionEvent e;
            auto source_id = rows.getColumn(1).getInt64();
            e.position = rows.getColumn(2).getInt64();
            e.kind = rows.getColumn(3).getString() == "C" ? EventKind::connect : EventKind::disconnect;
            e.time = rows.getColumn(4).getInt64();
            e.user = rows.getColumn(5).getString();
            e.profile = rows.getColumn(6).getString();
            e.connection = rows.getColumn(7).getString();
            e.vpn_proto = rows.getColumn(8).getString();
            e.ip4 = rows.getColumn(9).getString();
            e.ip6 = rows.getColumn(10).getString();
            e.originating = rows.getColumn(11).getString();
            // The rows come in the order the writer keeps inside a block, so
            // each lands where it is counted here.
            if (source_id != block_source || place == k_block_events) {
                writer.flush();
                next_block = first_block();
                block_source = source_id;
                place = 0;
            }
            new_id[rows.getColumn(0).getInt64()] = event_id(next_block, static_cast<std::size_t>(place++));
            writer.add(source_id, std::move(e));
        }
        writer.flush();
    }
    SQLite::Statement sessions(db, sql::k_session_evidence_all), set(db, sql::k_set_session_evidence);
    while (sessions.executeStep()) {
        auto old = nlohmann::json::parse(sessions.getColumn(1).getString(), nullptr, false);
        auto renumbered = nlohmann::json::array();
        if (old.is_array())
            for (const auto& v : old)
                if (auto it = v.is_number_integer() ? new_id.find(v.get<std::int64_t>()) : new_id.end();
                    it != new_id.end())
                    renumbered.push_back(it->second);
        set.reset();
        set.bind(1, sessions.getColumn(0).getInt64());
        set.bind(2, renumbered.dump());
        set.exec();
    }
    db.exec(sql::k_v7_drop);
}

/// Schema 18: each event block's data is written again in frames; returns
/// how many blocks could not be read (kept as they were).
std::int64_t frame_event_blocks(SQLite::Database& db)
{
    SQLite::Statement blocks(db, sql::k_event_blocks), set(db, sql::k_set_event_block_data);
    std::int64_t unreadable = 0;
    while (blocks.executeStep()) {
        std::string data;
        try {
            data = encode_event_block(decode_event_block(blob_view(blocks.getColumn(1))));
        } catch (const Error&) {
            ++unreadable;
            continue;
        }
        set.reset();
        set.bind(1, blocks.getColumn(0).getInt64());
        set.bind(2, data.data(), static_cast<int>(data.size()));
        set.exec();
    }
    return unreadable;
}

/// Schema 12: each ruleset's rule rows become blocks, and the rows go.
void move_rules_into_blocks(SQLite::Database& db)
{
    {
        SQLite::Statement rows(db, sql::k_v11_rules), insert(db, sql::k_insert_rule_block);
        std::int64_t ruleset = -1;
        std::vector<Rule> rules;
        auto flush = [&] {
            if (!rules.empty())
                insert_rule_blocks(insert, ruleset, encode_rule_blocks(rules));
            rules.clear();
        };
        while (rows.executeStep()) {
            if (rows.getColumn(0).getInt64() != ruleset) {
                flush();
                ruleset = rows.getColumn(0).getInt64();
            }
            rules.push_back(stored_rule(rows, 1));
        }
        flush();
    }
    db.exec(sql::k_v11_drop_rules);
}

/// Schema 12: the rows already there get their check.
void fill_snapshot_checks(SQLite::Database& db, const char* rows_sql, const char* set_sql)
{
    SQLite::Statement rows(db, rows_sql), set(db, set_sql);
    while (rows.executeStep()) {
        set.reset();
        set.bind(1, rows.getColumn(0).getInt64());
        set.bind(2, snapshot_row_check(rows.getColumn(1).getInt64(), rows.getColumn(2).getInt64(),
                                       rows.getColumn(3).getString(), rows.getColumn(4).getString(),
                                       optional_int64(rows, 5)));
        set.exec();
    }
}

/// What the schema steps need beyond SQL, run after all of them in their
/// one transaction (so against the newest schema) with the highest step
/// applied.
void migrate_data(SQLite::Database& db, int from_version, std::ostream* diag)
{
    if (from_version < 3)
        fill_goto_chain(db);
    if (from_version < 8)
        move_events_into_blocks(db);
    if (from_version < 12) {
        move_rules_into_blocks(db);
        fill_snapshot_checks(db, sql::k_v11_snapshot_rows, sql::k_v11_set_snapshot_check);
        fill_snapshot_checks(db, sql::k_v11_snapshot6_rows, sql::k_v11_set_snapshot6_check);
    }
    if (from_version < 15) // blocks appear (14), without connection and row ids (15)
        derive_all_session_blocks(db);
    if (from_version >= 8 && from_version < 18) // before 8, the events were just written in frames
        if (auto n = frame_event_blocks(db); n && diag)
            fmt::print(*diag, "warning: {} connection event block(s) could not be read and keep their old layout; "
                              "natfw-index --verify names them\n",
                       n);
    // Derived again from the stored rules: reach as rows (3), packs with a
    // checksum and a goto into an empty chain read as iptables does (4), packs
    // compressed (5).
    if (int n = IndexStore(db).rebuild_outdated(); n && diag)
        fmt::print(*diag, "notice: re-derived the cells of {} ruleset(s) indexed by an older natfw-index (from "
                          "their stored rules; the evidence is unchanged)\n",
                   n);
}

/// The index file at `path` is there and this user may look at it; else
/// IndexUnavailable, saying `missing` when it is not there.
void require_index_file(const std::filesystem::path& path, std::string_view missing)
{
    std::error_code ec;
    bool there = std::filesystem::exists(path, ec);
    if (ec) // e.g. a desk user outside the group that may read the index's directory
        throw IndexUnavailable(fmt::format("cannot read index {}: {} (the index is readable by root and by the "
                                           "group owning its directory: natfw, where the package installed it)",
                                           path, ec.message()));
    if (!there)
        throw IndexUnavailable(fmt::format("no index at {}{}", path, missing));
}

} // namespace

int latest_schema_version()
{
    return schema_steps().empty() ? 0 : schema_steps().back().version;
}

std::filesystem::path default_db_path()
{
    if (const char* env = std::getenv("NATFW_TRACE_DB"); env && *env)
        return env;
    return "/var/lib/natfw-trace/index.sqlite";
}

namespace {

/// A new index is created 0640 whatever the umask, in the group of its
/// directory (so a desk group owning /var/lib/natfw-trace can read it, and
/// nobody else can see who had which address); SQLite gives the -wal and
/// -shm files the database's mode and owner.
void create_index_file(const std::filesystem::path& path)
{
    Fd fd(::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0640));
    if (fd.get() < 0)
        return; // there already (or not creatable): SQLite says what is wrong
    struct stat dir {};
    auto parent = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    if (::stat(parent.c_str(), &dir) == 0 && ::fchown(fd.get(), static_cast<uid_t>(-1), dir.st_gid) != 0) {
        // Not a member of that group: the file keeps ours, still 0640.
    }
    if (::fchmod(fd.get(), 0640) != 0) {
        // The mode from open() stands (umask applied): never wider than 0640.
    }
}

} // namespace

std::unique_ptr<SQLite::Database> open_index_for_writing(const std::filesystem::path& path, std::ostream* diag)
{
    std::error_code ec;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path(), ec);
    create_index_file(path);
    std::unique_ptr<SQLite::Database> db;
    try {
        // One thread makes every call on the writing connection (natfw-index's
        // other threads parse and build in memory), so SQLite need not take its
        // mutex on each: that was a tenth of storing a ruleset.
        db = std::make_unique<SQLite::Database>(
            path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX, k_busy_timeout_ms);
        db->exec(sql::k_new_index_page_size); // before WAL mode, which fixes it
        db->exec("PRAGMA journal_mode = WAL");
        // Keep -wal and -shm after the last connection closes: readers who may
        // only read the index (the desk) cannot create them, and SQLite needs
        // them to read a WAL database.
        int persist = 1;
        sqlite3_file_control(db->getHandle(), "main", SQLITE_FCNTL_PERSIST_WAL, &persist);
        db->exec("PRAGMA synchronous = NORMAL");
        db->exec("PRAGMA foreign_keys = ON");
        // Deleted rows are overwritten, not only unlinked: sessions name
        // people, and the rebuild and retention delete them (index/session_retention.hpp).
        db->exec("PRAGMA secure_delete = ON");
        // Ingesting sessions writes in several indexes at once; a bigger page
        // cache than the default 2 MB keeps it from rereading its own pages.
        db->exec(sql::k_cache_for_writing);
        int version = schema_version(*db);
        if (version > latest_schema_version())
            throw IndexUnavailable(fmt::format("index {} has schema version {}, newer than this natfw-index knows ({})",
                                    path, version, latest_schema_version()));
        if (version < latest_schema_version()) {
            // All steps in one transaction: a reader (a lookup during the very
            // first run, or an upgrade) sees no schema or the whole of it.
            SQLite::Transaction tx(*db, SQLite::TransactionBehavior::IMMEDIATE);
            version = schema_version(*db); // another writer may have got here first
            if (version < latest_schema_version()) {
                for (const auto& step : schema_steps()) {
                    if (step.version <= version)
                        continue;
                    db->exec(step.sql); // each step ends by setting PRAGMA user_version
                    if (schema_version(*db) != step.version)
                        throw Error(fmt::format("schema step {} did not set user_version {}", step.name,
                                                step.version));
                }
                migrate_data(*db, version, diag);
            }
            tx.commit();
            // An upgrade may rewrite most of the file; readers would scan
            // the whole WAL on every open until the next indexing run.
            sqlite3_wal_checkpoint_v2(db->getHandle(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
        }
    } catch (const SQLite::Exception& e) {
        throw IndexUnavailable(fmt::format("cannot open index {} for writing: {}", path, e.what()));
    }
    return db;
}

std::unique_ptr<FileLock> lock_index_for_writing(const std::filesystem::path& path, std::chrono::seconds timeout,
                                                 std::ostream& diag)
{
    std::error_code ec;
    if (path.has_parent_path())
        std::filesystem::create_directories(path.parent_path(), ec);
    auto lock_path = std::filesystem::path(path.string() + ".lock");
    try {
        return std::make_unique<FileLock>(lock_path, FileLock::Kind::file, timeout, [&](const std::string& holder) {
            fmt::print(diag, "notice: waiting for another indexer{} to finish with {} (up to {} s)\n",
                       holder.empty() ? "" : " (" + holder + ")", path.string(), timeout.count());
            diag.flush();
        });
    } catch (const FileError& e) {
        throw IndexUnavailable(e.what()); // no lock, no writing: the index cannot be written
    }
}

std::unique_ptr<SQLite::Database> open_index_for_reading(const std::filesystem::path& path, ConnectionUse use)
{
    require_index_file(path, "; run natfw-index first (or give --db)");
    try {
        const int flags = SQLite::OPEN_READONLY | (use == ConnectionUse::one_thread ? SQLite::OPEN_NOMUTEX : 0);
        auto db = std::make_unique<SQLite::Database>(path.string(), flags, k_busy_timeout_ms);
        int version = schema_version(*db);
        if (version == 0)
            throw IndexUnavailable(fmt::format("{} is not a natfw-trace index; run natfw-index", path));
        if (version != latest_schema_version())
            throw IndexUnavailable(fmt::format("index {} has schema version {}, this natfw-trace reads {}; "
                                               "run natfw-index to upgrade it",
                                               path, version, latest_schema_version()));
        return db;
    } catch (const SQLite::Exception& e) {
        throw IndexUnavailable(fmt::format("cannot read index {}: {}", path, e.what()));
    }
}

bool usable_by_threads(SQLite::Database& db)
{
    // SQLite gives a connection's mutex only when it serialises its calls.
    return sqlite3_db_mutex(db.getHandle()) != nullptr;
}

int index_schema_version(const std::filesystem::path& path)
{
    require_index_file(path, ": nothing to upgrade");
    try {
        SQLite::Database db(path.string(), SQLite::OPEN_READONLY, k_busy_timeout_ms);
        return schema_version(db);
    } catch (const SQLite::Exception& e) {
        throw IndexUnavailable(fmt::format("cannot read index {}: {}", path, e.what()));
    }
}

bool index_holds_history(SQLite::Database& db)
{
    SQLite::Statement any(db, sql::k_any_snapshot);
    return any.executeStep() && any.getColumn(0).getInt() != 0;
}

} // namespace natfw
