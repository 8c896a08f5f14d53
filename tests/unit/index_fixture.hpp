#pragma once
// An index in a scratch directory, filled from snapshot files the test writes.
#include "store/database.hpp"
#include "index/indexer.hpp"
#include "query/query_input.hpp"
#include "query/sql_history.hpp"
#include "temp_dir.hpp"
#include "query/tracer.hpp"

#include <doctest/doctest.h>

#include <sstream>

namespace natfw::test {

class IndexFixture {
public:
    IndexFixture() : m_db(open_index_for_writing(m_dir.path() / "index.sqlite")) {}

    const TempDir& dir() const { return m_dir; }
    SQLite::Database& db() { return *m_db; }

    /// Writes snapshot `rules.v4.<t>` of node directory `node`.
    std::filesystem::path snapshot(const std::string& node, UnixSeconds t, const std::string& content)
    {
        return m_dir.write(node + "/rules.v4." + std::to_string(t), content);
    }

    /// Indexes node directories (named after them); returns the summary, keeps the diagnostics.
    IndexSummary index(const std::vector<std::string>& nodes)
    {
        IndexSummary sum;
        for (const auto& n : nodes) {
            IndexOptions opt;
            opt.dirs = {m_dir.path() / n};
            opt.node_name = n;
            auto s = index_directories(*m_db, opt, m_diag);
            sum.indexed += s.indexed;
            sum.unusable += s.unusable;
            sum.unchanged += s.unchanged;
            sum.file_errors += s.file_errors;
            sum.integrity_errors += s.integrity_errors;
        }
        return sum;
    }

    std::string diagnostics() const { return m_diag.str(); }

    Answer lookup(const std::string& time, const std::string& ip, const std::string& port,
                  const std::string& proto = "", const std::string& tz = "UTC")
    {
        m_last = make_query({time, ip, port}, proto, "", TimeParser(tz));
        // Answers point into their history: keep every one alive.
        m_histories.push_back(std::make_unique<SqlHistory>(*m_db));
        Tracer tracer(*m_histories.back());
        return tracer.lookup(m_last);
    }
    /// The same with --skew and --flow-age.
    Answer lookup_window(const std::string& time, const std::string& ip, const std::string& port,
                         const std::string& proto, UnixSeconds skew, UnixSeconds flow_age)
    {
        m_last = make_query({time, ip, port}, proto, "", TimeParser("UTC"));
        set_window(m_last, skew, flow_age);
        m_histories.push_back(std::make_unique<SqlHistory>(*m_db));
        Tracer tracer(*m_histories.back());
        return tracer.lookup(m_last);
    }
    const Query& last_query() const { return m_last; }

    long long count(const char* sql) { return m_db->execAndGet(sql).getInt64(); }

private:
    TempDir m_dir;
    std::unique_ptr<SQLite::Database> m_db;
    std::ostringstream m_diag;
    Query m_last;
    std::vector<std::unique_ptr<SqlHistory>> m_histories;
};

inline std::vector<std::string> internals(const Answer& a)
{
    std::vector<std::string> out;
    for (const auto& c : a.candidates)
        out.push_back(c.internal + "/" + c.proto);
    return out;
}

inline bool any_warning_contains(const Answer& a, const std::string& needle)
{
    for (const auto& w : a.warnings)
        if (w.find(needle) != std::string::npos)
            return true;
    return false;
}

} // namespace natfw::test
