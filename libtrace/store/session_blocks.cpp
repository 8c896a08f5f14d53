#include "store/session_blocks.hpp"

#include "store/database.hpp"
#include "store/sql_values.hpp"
#include "store/statements.hpp"
#include "util/errors.hpp"

#include <fmt/format.h>

#include <utility>

#include <SQLiteCpp/Statement.h>


namespace natfw {

namespace {

/// Calls each(net, sessions) for each /24 of the addresses lo to hi that
/// holds sessions, in order: one /24 in memory at a time.
template <typename Each>
void for_each_net(SQLite::Database& db, std::int64_t lo, std::int64_t hi, Each&& each)
{
    SQLite::Statement st(db, sql::k_session_block_sessions);
    st.bind(1, lo);
    st.bind(2, hi);
    std::vector<BlockSession> sessions;
    std::uint32_t net = 0;
    while (st.executeStep()) {
        auto ip = static_cast<Ipv4>(st.getColumn(0).getInt64());
        if (!sessions.empty() && ip >> 8 != net)
            each(net, std::exchange(sessions, {}));
        net = ip >> 8;
        auto ended = st.getColumn(3).getString();
        sessions.push_back({ip, optional_int64(st, 1), optional_int64(st, 2),
                            // 'd'isconnect or 'i'nferred (schema CHECK), '' still open
                            ended.empty() ? '\0' : ended[0], st.getColumn(4).getString()});
    }
    if (!sessions.empty())
        each(net, std::move(sessions));
}

constexpr std::int64_t k_every_address = 0xFFFFFFFF;

/// Writes the blocks of the addresses lo to hi from their sessions.
void write_blocks(SQLite::Database& db, std::int64_t lo, std::int64_t hi)
{
    SQLite::Statement insert(db, sql::k_insert_session_block);
    for_each_net(db, lo, hi, [&](std::uint32_t net, std::vector<BlockSession> sessions) {
        auto body = encode_session_block(net, std::move(sessions));
        insert.reset();
        insert.bind(1, static_cast<std::int64_t>(net));
        insert.bind(2, body.data(), static_cast<int>(body.size()));
        insert.exec();
    });
}

std::string net_name(std::uint32_t net) { return format_ipv4(net << 8) + "/24"; }

/// Holds a connection's own lock (none when SQLite does not serialise it).
class ConnectionLock {
public:
    explicit ConnectionLock(SQLite::Database& db) : m_mutex(sqlite3_db_mutex(db.getHandle()))
    {
        sqlite3_mutex_enter(m_mutex);
    }
    ~ConnectionLock() { sqlite3_mutex_leave(m_mutex); }
    ConnectionLock(const ConnectionLock&) = delete;
    ConnectionLock& operator=(const ConnectionLock&) = delete;

private:
    sqlite3_mutex* m_mutex;
};

} // namespace

std::vector<std::uint32_t> session_nets(SQLite::Database& db, const char* statement, std::optional<std::int64_t> bind)
{
    SQLite::Statement st(db, statement);
    if (bind)
        st.bind(1, *bind);
    std::vector<std::uint32_t> out;
    while (st.executeStep())
        out.push_back(static_cast<std::uint32_t>(st.getColumn(0).getInt64()));
    return out;
}

std::int64_t max_session_id(SQLite::Database& db) { return db.execAndGet(sql::k_max_session_id).getInt64(); }

void derive_session_blocks(SQLite::Database& db, const std::vector<std::uint32_t>& nets)
{
    SQLite::Statement remove(db, sql::k_delete_session_block);
    for (auto net : nets) {
        remove.reset();
        remove.bind(1, static_cast<std::int64_t>(net));
        remove.exec();
        const auto first = static_cast<std::int64_t>(net) << 8;
        write_blocks(db, first, first | 0xFF);
    }
}

void derive_all_session_blocks(SQLite::Database& db)
{
    db.exec(sql::k_delete_session_blocks);
    write_blocks(db, 0, k_every_address);
}

std::vector<std::string> session_block_faults(SQLite::Database& db)
{
    // Both in /24 order: the stored blocks are walked beside the sessions.
    std::vector<std::string> faults;
    SQLite::Statement blocks(db, sql::k_session_blocks);
    bool more = blocks.executeStep();
    auto stored_net = [&] { return static_cast<std::uint32_t>(blocks.getColumn(0).getInt64()); };
    auto extra_blocks_below = [&](std::optional<std::uint32_t> net) {
        for (; more && (!net || stored_net() < *net); more = blocks.executeStep())
            faults.push_back(fmt::format("the session block of {} holds sessions the index does not",
                                         net_name(stored_net())));
    };
    for_each_net(db, 0, k_every_address, [&](std::uint32_t net, std::vector<BlockSession> sessions) {
        extra_blocks_below(net);
        if (!more || stored_net() != net) {
            faults.push_back(fmt::format("the sessions of {} have no session block", net_name(net)));
            return;
        }
        if (blob_view(blocks.getColumn(1)) != encode_session_block(net, std::move(sessions)))
            faults.push_back(fmt::format("the session block of {} differs from the sessions it is derived from",
                                         net_name(net)));
        more = blocks.executeStep();
    });
    extra_blocks_below(std::nullopt);
    return faults;
}

SessionBlockReader::SessionBlockReader(SQLite::Database& db) : m_db(db), m_size(db, sql::k_session_block_size) {}

SessionBlockReader::~SessionBlockReader()
{
    sqlite3_blob_close(m_blob);
}

SessionBlock SessionBlockReader::read(std::uint32_t net)
{
    // Read with blob I/O into a buffer kept from block to block: a SELECT
    // gives each block in memory of its own first, and a batch's first
    // thousand rows meet blocks of up to a megabyte each. Decoding copies
    // the arrays on into memory of the arena.
    auto& size_of = *m_size;
    size_of.reset();
    size_of.bind(1, static_cast<std::int64_t>(net));
    const bool stored = size_of.executeStep();
    const auto size = stored ? static_cast<std::size_t>(size_of.getColumn(0).getInt64()) : 0;
    size_of.reset();
    if (!stored)
        return empty_session_block(net);
    auto damaged = [&](const std::string& why) {
        return IndexDamaged(fmt::format("the session block of {}: {} (natfw-index --verify)", net_name(net), why));
    };
    int rc = SQLITE_OK;
    std::string why;
    {
        // The connection's message is read under its lock: a batch's workers
        // may share the connection (batch/batch.hpp), and a call of another
        // would replace it.
        ConnectionLock lock(m_db);
        rc = m_blob ? sqlite3_blob_reopen(m_blob, net)
                    : sqlite3_blob_open(m_db.getHandle(), "main", sql::k_session_block_table,
                                        sql::k_session_block_column, net, 0, &m_blob);
        if (rc != SQLITE_OK)
            why = sqlite3_errmsg(m_db.getHandle());
    }
    if (rc != SQLITE_OK) {
        sqlite3_blob_close(m_blob); // a handle that failed to move cannot be used again
        m_blob = nullptr;
        throw damaged(why);
    }
    if (static_cast<std::size_t>(sqlite3_blob_bytes(m_blob)) != size)
        throw damaged("its size changed while it was read");
    if (size > m_buffer_size) {
        m_buffer = huge_pages(size);
        m_buffer_size = whole_huge_pages(size);
    }
    char* bytes = reinterpret_cast<char*>(m_buffer.get());
    if (size > 0 && (rc = sqlite3_blob_read(m_blob, bytes, static_cast<int>(size), 0)) != SQLITE_OK)
        throw damaged(sqlite3_errstr(rc));
    try {
        return decode_session_block(std::string_view(bytes, size), net, &m_arena);
    } catch (const Error& e) {
        throw damaged(e.what());
    }
}

} // namespace natfw
