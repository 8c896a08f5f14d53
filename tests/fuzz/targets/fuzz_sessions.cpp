// The session builder over any sequence of events: few connection ids and
// addresses (so that reconnects, reuse and duplicates across sources are
// common), times close together, every order. Whatever comes in, every event
// ends up in exactly one session, and no session ends before it starts.
#include "derive/session_builder.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    // Three bytes per event: kind and source; connection and address; time step.
    std::vector<natfw::SourcedEvent> events;
    natfw::UnixMicros t = 1'600'000'000'000'000;
    for (std::size_t i = 0; i + 3 <= size && events.size() < 4096; i += 3) {
        natfw::SourcedEvent se;
        se.id = static_cast<std::int64_t>(events.size()) + 1;
        se.source_id = (data[i] >> 1) % 3;
        se.event.kind = data[i] & 1 ? natfw::EventKind::disconnect : natfw::EventKind::connect;
        // Short ids stay inside std::string, long ones do not: both kinds of text move.
        se.event.connection = (data[i + 1] & 8 ? "c" : "connection-id-longer-than-sso-") + std::to_string(data[i + 1] & 7);
        if (se.event.kind == natfw::EventKind::connect) {
            se.event.ip4 = "10.0.0." + std::to_string(data[i + 1] >> 5);
            if (data[i + 1] & 16)
                se.event.ip6 = "fd00::" + std::to_string(data[i + 1] >> 5);
        }
        se.event.user = "u" + std::to_string(data[i + 1] & 3);
        // Steps of -4 .. +11 s: inside and outside the window in which reports are one.
        t += (static_cast<natfw::UnixMicros>(data[i + 2] & 15) - 4) * 1'000'000 + (data[i + 2] >> 4);
        se.event.time = t;
        events.push_back(std::move(se));
    }
    const auto count = events.size();
    auto sessions = natfw::build_sessions(std::move(events));
    std::vector<int> seen(count + 1);
    for (const auto& s : sessions) {
        for (auto id : s.evidence) {
            if (id < 1 || static_cast<std::size_t>(id) > count || seen[static_cast<std::size_t>(id)]++)
                __builtin_trap();
        }
        if (s.connected_at && s.disconnected_at && *s.disconnected_at < *s.connected_at)
            __builtin_trap();
        if ((s.ended_by == natfw::SessionEnd::open) == s.disconnected_at.has_value())
            __builtin_trap();
        if (!s.connected_at && s.ended_by != natfw::SessionEnd::disconnect)
            __builtin_trap();
    }
    if (std::count(seen.begin() + 1, seen.end(), 1) != static_cast<std::ptrdiff_t>(count))
        __builtin_trap();
    return 0;
}
