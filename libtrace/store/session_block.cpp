#include "store/session_block.hpp"

#include "util/byte_record.hpp"
#include "util/errors.hpp"
#include "util/page_arena.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <tuple>
#include <unordered_map>

namespace natfw {

namespace {

// Raised when the layout below changes; a block of another version is refused, never misread.
constexpr char k_format = '2';
constexpr const char* k_cut = "session block is damaged: it ends inside its arrays";

// Layout, native byte order, fixed widths so that reading is a copy per array:
// format, net, hosts A, sessions N, users U (u32 each), A host bytes, A u32
// first sessions, N i64 starts, N i64 ends, N u32 user numbers, N ended-by
// bytes, U u32 name ends, the names. (Format 1 also held row and connection
// ids; schema step 15 derived every block again.)

template <class T>
void put_array(std::string& out, const std::vector<T>& v)
{
    out.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

/// Lays a decoded block's arrays out in one piece of memory, each aligned
/// for its type, copying stored arrays as they are.
class Placer {
public:
    Placer(std::byte* at, std::size_t size) : m_at(at), m_end(at + size) {}
    template <class T>
    std::span<T> make(std::size_t n)
    {
        m_at += (alignof(T) - reinterpret_cast<std::uintptr_t>(m_at) % alignof(T)) % alignof(T);
        // decoded_size() leaves room for every array; this guards that sum.
        if (static_cast<std::size_t>(m_end - m_at) / sizeof(T) < n)
            throw Error("session block does not fit the memory set aside for it");
        auto* p = reinterpret_cast<T*>(m_at);
        m_at += n * sizeof(T);
        return {p, n};
    }
    template <class T>
    std::span<T> copy(ByteReader& in, std::uint32_t n, std::size_t extra = 0)
    {
        auto out = make<T>(n + extra);
        if (n > 0)
            std::memcpy(out.data(), in.bytes(n * sizeof(T)).data(), n * sizeof(T));
        return out;
    }
    std::string_view copy_text(ByteReader& in, std::size_t n)
    {
        auto out = make<char>(n);
        if (n > 0)
            std::memcpy(out.data(), in.bytes(n).data(), n);
        return {out.data(), n};
    }

private:
    std::byte* m_at;
    std::byte* m_end;
};

/// Room for a block decoded from a body of `size` bytes with `sessions`
/// sessions: the arrays copied as stored (at most the body), the sessions
/// laid out for lookups, the table per last byte, and alignment.
std::size_t decoded_size(std::size_t size, std::uint32_t sessions)
{
    return size + sizeof(std::uint32_t) + 256 * sizeof(std::uint64_t) + std::size_t{sessions} * sizeof(HeldSession) +
           16 * alignof(HeldSession);
}

/// Element `i` of a stored array that `bytes` holds (not aligned in the body).
template <class T>
T element(std::string_view bytes, std::size_t i)
{
    T v{};
    std::memcpy(&v, bytes.data() + i * sizeof(T), sizeof(T));
    return v;
}

std::shared_ptr<std::byte[]> block_memory(std::size_t bytes, PageArena* arena)
{
    if (arena)
        return arena->allocate(bytes);
    return std::shared_ptr<std::byte[]>(new std::byte[bytes]);
}

auto session_key(const BlockSession& s)
{
    return std::make_tuple(s.ip, s.connected_at.value_or(SessionBlock::k_unknown_start),
                           s.disconnected_at.value_or(SessionBlock::k_still_open), s.ended_by, std::cref(s.user));
}

} // namespace

std::vector<BlockSession> SessionBlock::sessions() const
{
    std::vector<BlockSession> out;
    for (std::size_t h = 0; h < hosts.size(); ++h)
        for (auto i = first[h]; i < first[h + 1]; ++i)
            out.push_back({net << 8 | hosts[h],
                           starts[i] == k_unknown_start ? std::nullopt : std::optional(starts[i]),
                           held[i].end == k_still_open ? std::nullopt : std::optional(held[i].end), held[i].ended_by,
                           std::string(names.substr(held[i].name_from, held[i].name_size))});
    return out;
}

std::string encode_session_block(std::uint32_t net, std::vector<BlockSession> sessions)
{
    std::sort(sessions.begin(), sessions.end(),
              [](const BlockSession& a, const BlockSession& b) { return session_key(a) < session_key(b); });
    struct {
        std::vector<std::uint8_t> hosts;
        std::vector<std::uint32_t> first, user_of, name_end;
        std::vector<UnixMicros> starts, ends;
        std::vector<char> ended_by;
        std::string names;
    } b;
    std::unordered_map<std::string_view, std::uint32_t> numbers;
    for (const auto& s : sessions) {
        if (s.ip >> 8 != net)
            throw Error("a session block was given a session of another /24");
        auto host = static_cast<std::uint8_t>(s.ip & 0xFF);
        if (b.hosts.empty() || b.hosts.back() != host) {
            b.hosts.push_back(host);
            b.first.push_back(static_cast<std::uint32_t>(b.starts.size()));
        }
        b.starts.push_back(s.connected_at.value_or(SessionBlock::k_unknown_start));
        b.ends.push_back(s.disconnected_at.value_or(SessionBlock::k_still_open));
        b.ended_by.push_back(s.ended_by);
        auto [it, added] = numbers.try_emplace(s.user, static_cast<std::uint32_t>(b.name_end.size()));
        if (added) {
            b.names += s.user;
            b.name_end.push_back(static_cast<std::uint32_t>(b.names.size()));
        }
        b.user_of.push_back(it->second);
    }
    std::string out(1, k_format);
    put_value(out, net);
    put_value(out, static_cast<std::uint32_t>(b.hosts.size()));
    put_value(out, static_cast<std::uint32_t>(b.starts.size()));
    put_value(out, static_cast<std::uint32_t>(b.name_end.size()));
    put_array(out, b.hosts);
    put_array(out, b.first);
    put_array(out, b.starts);
    put_array(out, b.ends);
    put_array(out, b.user_of);
    put_array(out, b.ended_by);
    put_array(out, b.name_end);
    out += b.names;
    return out;
}

SessionBlock empty_session_block(std::uint32_t net)
{
    SessionBlock b;
    b.net = net;
    const auto size = decoded_size(0, 0);
    auto memory = block_memory(size, nullptr);
    Placer place(memory.get(), size);
    auto first = place.make<std::uint32_t>(1);
    first[0] = 0;
    b.first = first;
    auto span_of = place.make<std::uint64_t>(256);
    std::fill(span_of.begin(), span_of.end(), 0);
    b.span_of = span_of;
    b.memory = std::move(memory);
    return b;
}

SessionBlock decode_session_block(std::string_view body, std::uint32_t net, PageArena* arena)
{
    if (body.empty() || body[0] != k_format)
        throw Error("session block is damaged or of a newer natfw-index");
    ByteReader in(body.substr(1), k_cut);
    SessionBlock b;
    b.net = in.value<std::uint32_t>();
    if (b.net != net)
        throw Error("session block is damaged: its row's key is not the one it was written under");
    const auto hosts = in.value<std::uint32_t>(), sessions = in.value<std::uint32_t>(),
               users = in.value<std::uint32_t>();
    // Checked before anything is allocated: a flipped count refuses the
    // block instead of asking for gigabytes.
    const std::uint64_t fixed = std::uint64_t{hosts} * 5 + std::uint64_t{sessions} * 21 + std::uint64_t{users} * 4;
    if (fixed > in.left())
        throw Error(k_cut);
    const auto size = decoded_size(body.size(), sessions);
    auto memory = block_memory(size, arena);
    Placer place(memory.get(), size);
    b.hosts = place.copy<std::uint8_t>(in, hosts);
    auto first = place.copy<std::uint32_t>(in, hosts, 1);
    first.back() = sessions;
    b.first = first;
    b.starts = place.copy<UnixMicros>(in, sessions);
    const auto ends = in.bytes(std::size_t{sessions} * sizeof(UnixMicros)),
               user_of = in.bytes(std::size_t{sessions} * sizeof(std::uint32_t)), ended_by = in.bytes(sessions);
    const auto name_end = place.copy<std::uint32_t>(in, users);
    const std::uint32_t names_size = users == 0 ? 0 : name_end.back();
    if (names_size != in.left())
        throw Error(names_size > in.left() ? k_cut : "session block is damaged: bytes after its names");
    b.names = place.copy_text(in, names_size);
    // What lookups rely on: hosts ascending, each with at least one session,
    // starts ascending within a host, every number naming a user.
    bool ok = hosts > 0 && b.first[0] == 0;
    for (std::size_t u = 0; ok && u < users; ++u)
        ok = (u == 0 || name_end[u - 1] <= name_end[u]) && name_end[u] <= b.names.size();
    auto held = place.make<HeldSession>(sessions);
    for (std::size_t i = 0; ok && i < sessions; ++i) {
        auto& s = held[i];
        s.end = element<UnixMicros>(ends, i);
        s.ended_by = ended_by[i];
        const auto u = element<std::uint32_t>(user_of, i);
        ok = u < users && (s.ended_by == 0 || s.ended_by == 'd' || s.ended_by == 'i');
        if (ok) {
            s.name_from = u == 0 ? 0 : name_end[u - 1];
            s.name_size = name_end[u] - s.name_from;
        }
    }
    for (std::size_t h = 0; ok && h < hosts; ++h) {
        ok = (h == 0 || b.hosts[h - 1] < b.hosts[h]) && b.first[h] < b.first[h + 1] && b.first[h + 1] <= sessions;
        if (ok)
            held[b.first[h]].reach = held[b.first[h]].end;
        for (auto i = b.first[h] + 1; ok && i < b.first[h + 1]; ++i) {
            ok = b.starts[i - 1] <= b.starts[i];
            held[i].reach = std::max(held[i - 1].reach, held[i].end);
        }
    }
    if (!ok)
        throw Error("session block is damaged: its sessions are out of order or out of bounds");
    b.held = held;
    auto span_of = place.make<std::uint64_t>(256);
    std::fill(span_of.begin(), span_of.end(), 0);
    for (std::size_t h = 0; h < hosts; ++h)
        span_of[b.hosts[h]] = std::uint64_t{b.first[h]} << 32 | (b.first[h + 1] - b.first[h]);
    b.span_of = span_of;
    b.memory = std::move(memory);
    return b;
}

} // namespace natfw
