#include "generate/port_plan.hpp"

#include "util/errors.hpp"
#include "util/file.hpp"
#include "util/text.hpp"

#include <fmt/format.h>

#include <charconv>

namespace natfw {

namespace {

struct Segment {
    std::uint32_t lo, hi; // inclusive
    std::uint32_t size() const { return hi - lo + 1; }
};

std::vector<Segment> free_segments(std::optional<PortRange> avoid)
{
    std::vector<Segment> out;
    auto add = [&](std::uint32_t lo, std::uint32_t hi) {
        if (lo <= hi)
            out.push_back({lo, hi});
    };
    if (!avoid) {
        add(k_plan_lowest_port, k_plan_highest_port);
        return out;
    }
    // Highest first: blocks are handed out downward.
    add(std::max<std::uint32_t>(avoid->hi + 1u, k_plan_lowest_port), k_plan_highest_port);
    add(k_plan_lowest_port, std::min<std::uint32_t>(avoid->lo - 1u, k_plan_highest_port));
    return out;
}

std::uint64_t capacity(const std::vector<Segment>& segments, std::uint32_t block)
{
    std::uint64_t n = 0;
    for (const auto& s : segments)
        n += s.size() / block;
    return n;
}

std::string describe_pool(const std::vector<Segment>& segments)
{
    std::string out;
    for (const auto& s : segments)
        out += fmt::format("{}{}-{}", out.empty() ? "" : " and ", s.lo, s.hi);
    return out.empty() ? "none" : out;
}

} // namespace

PortPlan plan_ports(std::uint64_t clients, std::optional<PortRange> avoid)
{
    auto segments = free_segments(avoid);
    std::uint64_t available = 0;
    for (const auto& s : segments)
        available += s.size();
    if (clients == 0)
        throw Error("no client addresses to give ports to");

    std::uint64_t share = available / clients;
    std::uint32_t block = 1;
    while (share > block)
        block <<= 1;
    block >>= 1; // strictly below the share, as the seed does (an exact power is halved)
    while (block > 0 && capacity(segments, block) < clients)
        block >>= 1;
    if (block == 0)
        throw Error(fmt::format("{} client addresses do not fit into {} public ports ({}): every client "
                                "needs a block of at least one port; use fewer or smaller client networks",
                                clients, available, describe_pool(segments)));

    PortPlan plan;
    plan.ports_per_client = block;
    plan.blocks.reserve(clients);
    auto segment = segments.begin();
    std::uint32_t next_hi = segment->hi;
    for (std::uint64_t i = 0; i < clients; ++i) {
        while (next_hi + 1 < segment->lo + block) {
            ++segment; // capacity() guarantees a further segment has room
            next_hi = segment->hi;
        }
        plan.blocks.push_back({static_cast<std::uint16_t>(next_hi + 1 - block), static_cast<std::uint16_t>(next_hi)});
        next_hi -= block;
    }
    return plan;
}

PortRange parse_port_range_text(std::string_view text, std::string_view origin)
{
    // LO-HI as people write it, or LO<tab>HI as the kernel does.
    std::string_view t = trim(text);
    auto sep = t.find_first_of(" \t-");
    std::string why;
    std::optional<std::uint16_t> lo, hi;
    if (sep != std::string_view::npos) {
        lo = parse_port(trim(t.substr(0, sep)), why);
        hi = parse_port(trim(t.substr(sep + 1)), why);
    }
    if (!lo || !hi || *lo > *hi)
        throw UsageError(fmt::format("{}: \"{}\" is not a port range LO-HI within 1-65535", origin, t));
    return {*lo, *hi};
}

PortRange read_local_port_range(const std::filesystem::path& path)
{
    return parse_port_range_text(read_file(path), path.string());
}

} // namespace natfw
