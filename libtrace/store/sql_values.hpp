#pragma once
// NULL-able integer columns and parameters (times that may be unknown),
// read and bound the same way by every session reader and writer.
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <optional>

namespace natfw {

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
