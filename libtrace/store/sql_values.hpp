#pragma once
// NULL-able integer columns and parameters (times that may be unknown),
// read and bound the same way by every session reader and writer.
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace natfw {

/// A BLOB column's bytes, valid until the statement steps or resets.
inline std::string_view blob_view(const SQLite::Column& c)
{
    return {static_cast<const char*>(c.getBlob()), static_cast<std::size_t>(c.getBytes())};
}

inline std::optional<std::int64_t> optional_int64(SQLite::Statement& st, int column)
{
    auto c = st.getColumn(column);
    return c.isNull() ? std::nullopt : std::optional<std::int64_t>(c.getInt64());
}

inline void bind_optional(SQLite::Statement& st, int index, const std::optional<std::int64_t>& v)
{
    if (v)
        st.bind(index, *v);
    else
        st.bind(index);
}

} // namespace natfw
