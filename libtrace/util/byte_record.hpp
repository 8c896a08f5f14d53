#pragma once
// Fixed-width integers and length-prefixed texts laid end to end: the plain
// layout of the blocks the index stores compressed. Native byte order: an
// index is read on the machine kind that wrote it.
#include "util/errors.hpp"

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

namespace natfw {

template <class T>
void put_value(std::string& out, T v)
{
    static_assert(std::is_integral_v<T>);
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    out.append(b, sizeof(T));
}

inline void put_text(std::string& out, std::string_view s)
{
    put_value(out, static_cast<std::uint32_t>(s.size()));
    out.append(s);
}

/// Reads what put_value and put_text wrote; running past the end throws
/// Error(`damaged`), so a cut or damaged record is refused, never misread.
class ByteReader {
public:
    ByteReader(std::string_view s, const char* damaged) : m_s(s), m_damaged(damaged) {}
    bool done() const { return m_at == m_s.size(); }
    char byte() { return take(1)[0]; }
    template <class T>
    T value()
    {
        T v{};
        std::memcpy(&v, take(sizeof(T)).data(), sizeof(T));
        return v;
    }
    std::string text() { return std::string(take(value<std::uint32_t>())); }
    void skip(std::size_t n) { take(n); }
    /// The next `n` bytes as they are (arrays copied whole).
    std::string_view bytes(std::size_t n) { return take(n); }
    std::size_t left() const { return m_s.size() - m_at; }
    void skip_text() { take(value<std::uint32_t>()); }

private:
    std::string_view take(std::size_t n)
    {
        if (m_s.size() - m_at < n)
            throw Error(m_damaged);
        auto v = m_s.substr(m_at, n);
        m_at += n;
        return v;
    }
    std::string_view m_s;
    const char* m_damaged;
    std::size_t m_at = 0;
};

} // namespace natfw
