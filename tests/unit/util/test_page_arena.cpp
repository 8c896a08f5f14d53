// Memory handed out for session blocks: aligned, never overlapping, and
// alive for as long as any part handed out is held, whatever the arena does.
#include "util/page_arena.hpp"

#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

using namespace natfw;

namespace {

std::uintptr_t address(const std::shared_ptr<std::byte[]>& p)
{
    return reinterpret_cast<std::uintptr_t>(p.get());
}

} // namespace

TEST_CASE("PageArena: parts are aligned, apart, and filled without touching each other")
{
    PageArena arena;
    std::vector<std::pair<std::shared_ptr<std::byte[]>, std::size_t>> parts;
    // Sizes around the line size, many parts to one chunk, then past its end.
    for (std::size_t n : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, std::size_t{1000},
                          std::size_t{3} << 20, std::size_t{3} << 20, std::size_t{777}})
        parts.emplace_back(arena.allocate(n), n);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        CAPTURE(i);
        CHECK(address(parts[i].first) % PageArena::k_align == 0);
        std::memset(parts[i].first.get(), static_cast<int>(i + 1), parts[i].second);
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const auto* p = parts[i].first.get();
        CHECK(std::all_of(p, p + parts[i].second, [&](std::byte b) { return b == static_cast<std::byte>(i + 1); }));
    }
    // Two parts of the same chunk follow each other.
    CHECK(address(parts[1].first) - address(parts[0].first) == PageArena::k_align);
}

TEST_CASE("PageArena: a part larger than half a chunk has its own, aligned to a huge page")
{
    PageArena arena;
    auto small = arena.allocate(100);
    auto large = arena.allocate(PageArena::k_chunk);
    CHECK(address(large) % PageArena::k_huge_page == 0);
    std::memset(large.get(), 7, PageArena::k_chunk);
    auto next = arena.allocate(100); // the large part did not use up the current chunk
    CHECK(address(next) - address(small) == 128);
}

TEST_CASE("PageArena: a part outlives the arena and the chunks after it")
{
    std::shared_ptr<std::byte[]> kept;
    {
        PageArena arena;
        kept = arena.allocate(4096);
        std::memset(kept.get(), 0x5A, 4096);
        for (int i = 0; i < 8; ++i)
            (void)arena.allocate(PageArena::k_chunk / 2); // fills chunks after it, dropped at once
    }
    CHECK(kept.use_count() == 1);
    CHECK(std::all_of(kept.get(), kept.get() + 4096, [](std::byte b) { return b == std::byte{0x5A}; }));
}

TEST_CASE("huge_pages: whole huge pages, aligned to one, every byte usable")
{
    for (std::size_t n : {std::size_t{1}, PageArena::k_huge_page, PageArena::k_huge_page + 1}) {
        CAPTURE(n);
        auto p = huge_pages(n);
        CHECK(address(p) % PageArena::k_huge_page == 0);
        const std::size_t whole = (n + PageArena::k_huge_page - 1) / PageArena::k_huge_page * PageArena::k_huge_page;
        std::memset(p.get(), 0x3C, whole); // the sanitizers' build sees a write past the memory
        CHECK(p.get()[whole - 1] == std::byte{0x3C});
    }
}
