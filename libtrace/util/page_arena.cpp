#include "util/page_arena.hpp"

#include <sys/mman.h>

#include <cstdlib>
#include <new>

namespace natfw {

std::size_t whole_huge_pages(std::size_t bytes)
{
    return (bytes + PageArena::k_huge_page - 1) / PageArena::k_huge_page * PageArena::k_huge_page;
}

std::shared_ptr<std::byte[]> huge_pages(std::size_t bytes)
{
    const std::size_t size = whole_huge_pages(bytes);
    void* p = std::aligned_alloc(PageArena::k_huge_page, size);
    if (!p)
        throw std::bad_alloc();
    // Only advice: where the kernel has no huge pages the memory is plain.
    (void)madvise(p, size, MADV_HUGEPAGE);
    return {static_cast<std::byte*>(p), [](std::byte* q) { std::free(q); }};
}

std::shared_ptr<std::byte[]> PageArena::allocate(std::size_t bytes)
{
    const std::size_t need = (bytes + k_align - 1) / k_align * k_align;
    if (need > k_chunk / 2) // its own chunk: a large block does not waste the rest of this one
        return huge_pages(need);
    if (!m_chunk || m_size - m_used < need) {
        m_chunk = huge_pages(k_chunk);
        m_size = k_chunk;
        m_used = 0;
    }
    std::shared_ptr<std::byte[]> part(m_chunk, m_chunk.get() + m_used);
    m_used += need;
    return part;
}

} // namespace natfw
