#pragma once
// Memory for data written once and then read at random by a batch (the
// session blocks): handed out from 2 MiB-aligned chunks that the kernel is
// asked to back with transparent huge pages. With 4 KiB pages a batch's
// first touch of its blocks was a page fault per 4 KiB, and each random
// read risked a TLB miss; on a virtual machine both are costly.
#include <cstddef>
#include <memory>

namespace natfw {

/// `bytes` rounded up to whole huge pages: what huge_pages(bytes) hands out.
std::size_t whole_huge_pages(std::size_t bytes);
/// whole_huge_pages(bytes) of uninitialised memory on its own, aligned to a
/// huge page and advised as the arena's chunks are: for a buffer reused for
/// many reads (one fault instead of one per 4 KiB), and the arena's chunks.
std::shared_ptr<std::byte[]> huge_pages(std::size_t bytes);

/// Not for sharing between threads; what it hands out may be (read only).
class PageArena {
public:
    static constexpr std::size_t k_huge_page = std::size_t{2} << 20;
    static constexpr std::size_t k_chunk = 4 * k_huge_page;
    static constexpr std::size_t k_align = 64; ///< a cache line

    /// `bytes` of uninitialised memory aligned to k_align; the chunk it lies
    /// in lives as long as this pointer or a copy of it does.
    std::shared_ptr<std::byte[]> allocate(std::size_t bytes);

private:
    std::shared_ptr<std::byte[]> m_chunk;
    std::size_t m_size = 0, m_used = 0;
};

} // namespace natfw
