// Connection logs (journal short-iso/precise/json, RFC 5424, RFC 3164, and
// gzip of any of them): every event the reader returns, read whole and read
// again from where the first half stopped, as an incremental run does.
#include "parse/connection_log_reader.hpp"
#include "util/errors.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace {

int memory_file(const std::uint8_t* data, std::size_t size)
{
    int fd = memfd_create("log", MFD_CLOEXEC);
    if (fd < 0)
        return -1;
    if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
        ::close(fd);
        return -1;
    }
    ::lseek(fd, 0, SEEK_SET);
    return fd;
}

void check(const natfw::ConnectionEvent& e, std::size_t size)
{
    // Every event is a whole line of ours: its texts come from the input.
    if (e.connection.empty() || e.user.size() > size || e.connection.size() > size || e.position < 1)
        __builtin_trap();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    int fd = memory_file(data, size);
    if (fd < 0)
        return 0;
    natfw::LogReadOptions o;
    o.zone_name = "Europe/Amsterdam"; // lines without an offset meet a zone with DST
    o.not_after = 1'700'000'000'000'000;
    try {
        auto whole = natfw::read_connection_log(fd, "fuzz", o, [&](const natfw::ConnectionEvent& e) { check(e, size); });
        if (whole.lines > static_cast<std::int64_t>(std::count(data, data + size, '\n')) + 1 ||
            whole.events > whole.lines)
            __builtin_trap();
        // Resume from the end: nothing new is read.
        ::lseek(fd, 0, SEEK_SET);
        o.resume = whole.end;
        std::int64_t again = 0;
        natfw::read_connection_log(fd, "fuzz", o, [&](const natfw::ConnectionEvent&) { ++again; });
        if (again != 0 && !whole.compressed)
            __builtin_trap();
    } catch (const natfw::FileError&) {
        // a gzip stream that does not decompress: reported, never a crash
    }
    ::close(fd);
    return 0;
}
