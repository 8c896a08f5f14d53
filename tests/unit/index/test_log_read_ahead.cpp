// Reading a log on a second thread gives what reading it on one gives: the
// same events in the same order and the same result, and a failure on either
// side ends the read with that failure instead of a hang.
#include "index/log_read_ahead.hpp"
#include "temp_dir.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <tuple>
#include <vector>

using namespace natfw;

namespace {

auto fields(const ConnectionEvent& e)
{
    return std::make_tuple(e.kind, e.time, e.position, e.user, e.profile, e.connection, e.vpn_proto, e.ip4, e.ip6,
                           e.originating);
}

struct Read {
    LogReadResult result;
    std::vector<ConnectionEvent> events;
};

Read read_one(const std::filesystem::path& path, const LogReadOptions& o)
{
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    Read r;
    r.result = read_connection_log(fd, path.string(), o, [&](const ConnectionEvent& e) { r.events.push_back(e); });
    ::close(fd);
    return r;
}

Read read_ahead(const std::filesystem::path& path, const LogReadOptions& o)
{
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    Read r;
    r.result = read_connection_log_ahead(fd, path.string(), o,
                                         [&](ConnectionEvent&& e) { r.events.push_back(std::move(e)); });
    ::close(fd);
    return r;
}

/// The number of events both read.
std::size_t check_same(const std::filesystem::path& path)
{
    CAPTURE(path);
    LogReadOptions o;
    o.zone_name = "Europe/Amsterdam";
    auto one = read_one(path, o);
    auto two = read_ahead(path, o);
    REQUIRE(one.events.size() == two.events.size());
    for (std::size_t i = 0; i < one.events.size(); ++i)
        CHECK(fields(one.events[i]) == fields(two.events[i]));
    const auto& a = one.result;
    const auto& b = two.result;
    CHECK(std::tie(a.lines, a.events, a.malformed, a.backwards, a.year_note, a.compressed) ==
          std::tie(b.lines, b.events, b.malformed, b.backwards, b.year_note, b.compressed));
    CHECK(std::tie(a.end.offset, a.end.line, a.end.year, a.end.month, a.end.last_time) ==
          std::tie(b.end.offset, b.end.line, b.end.year, b.end.month, b.end.last_time));
    REQUIRE(a.first_problems.size() == b.first_problems.size());
    for (std::size_t i = 0; i < a.first_problems.size(); ++i)
        CHECK(std::tie(a.first_problems[i].line, a.first_problems[i].message) ==
              std::tie(b.first_problems[i].line, b.first_problems[i].message));
    return two.events.size();
}

/// A log of `pairs` connections, each CONNECT and its DISCONNECT, with a
/// line that is not a log line and one of another program now and then.
std::filesystem::path write_log(const std::filesystem::path& path, int pairs)
{
    std::ofstream out(path);
    for (int i = 0; i < pairs; ++i) {
        const int t = 1606780800 + 3 * i;
        out << fmt::format("{}T00:00:00+0000 vpn vpn-user-portal[812]: CONNECT user{} (staff:c{}) "
                           "[198.51.100.{} => 10.64.{}.{},fd64::{:x}]\n",
                           "2020-12-01", i % 97, i, i % 250, i / 250 % 250, i % 250 + 2, i + 2);
        if (i % 700 == 0)
            out << "not a log line\n";
        if (i % 333 == 0)
            out << "2020-12-01T00:00:00+0000 vpn sshd[1]: Accepted publickey\n";
        out << fmt::format("2020-12-01T00:00:0{}+0000 vpn vpn-user-portal[812]: DISCONNECT user{} (staff:c{})\n",
                           t % 10, i % 97, i);
    }
    return path;
}

} // namespace

TEST_CASE("read_connection_log_ahead: the same events and result as read_connection_log")
{
    test::TempDir dir;
    CHECK(check_same(write_log(dir.path() / "small.log", 3)) == 6);        // less than one handover
    CHECK(check_same(write_log(dir.path() / "empty.log", 0)) == 0);        // nothing at all
    CHECK(check_same(write_log(dir.path() / "several.log", 2600)) == 5200); // several, the last one part full
    for (const char* fixture : {"journal-short-iso.log", "rfc5424.log", "syslog.1"})
        CHECK(check_same(std::filesystem::path(NATFW_TEST_DATA) / "sessions" / fixture) > 0);
}

TEST_CASE("read_connection_log_ahead: a failure on either side ends the read with it")
{
    test::TempDir dir;
    auto log = write_log(dir.path() / "long.log", 5000);
    LogReadOptions o;
    o.zone_name = "UTC";
    SUBCASE("storing fails part way: the reader stops, the failure comes out")
    {
        int fd = ::open(log.c_str(), O_RDONLY);
        REQUIRE(fd >= 0);
        int stored = 0;
        CHECK_THROWS_WITH_AS(read_connection_log_ahead(fd, log.string(), o,
                                                       [&](ConnectionEvent&&) {
                                                           if (++stored == 1500)
                                                               throw std::runtime_error("disk full");
                                                       }),
                             "disk full", std::runtime_error);
        CHECK(stored == 1500);
        ::close(fd);
    }
    SUBCASE("reading fails: lines without a year from a pipe cannot be read twice")
    {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        const std::string text = "Dec 31 23:59:59 vpn vpn-user-portal[1]: DISCONNECT a (p:c1)\n";
        REQUIRE(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
        ::close(fds[1]);
        int stored = 0;
        CHECK_THROWS_AS(read_connection_log_ahead(fds[0], "pipe", o, [&](ConnectionEvent&&) { ++stored; }),
                        FileError);
        CHECK(stored == 0);
        ::close(fds[0]);
    }
}
