#pragma once
// A named statement prepared on its first use. A reader that knows a dozen
// queries runs two or three of them in a single lookup, and preparing the
// rest (SQLite parses and plans each) was a sixth of a lookup's process time.
#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <optional>

namespace natfw {

class LazyStatement {
public:
    /// `db` and `sql` (a named statement, static) must outlive it.
    LazyStatement(SQLite::Database& db, const char* sql) : m_db(db), m_sql(sql) {}

    SQLite::Statement& operator*()
    {
        if (!m_st)
            m_st.emplace(m_db, m_sql);
        return *m_st;
    }
    SQLite::Statement* operator->() { return &**this; }

private:
    SQLite::Database& m_db;
    const char* m_sql;
    std::optional<SQLite::Statement> m_st;
};

} // namespace natfw
