#include "parse/connection_log_reader.hpp"
#include "parse/connection_message.hpp"
#include "parse/log_line.hpp"
#include "temp_dir.hpp"

#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <vector>

using namespace natfw;

namespace {

constexpr UnixMicros k_s = 1'000'000;

ConnectionEvent message(std::string_view text, MessageVerdict expected)
{
    ConnectionEvent e;
    std::string problem;
    CHECK_MESSAGE(parse_connection_message(text, e, problem) == expected, text, ": ", problem);
    return e;
}

struct Read {
    LogReadResult result;
    std::vector<ConnectionEvent> events;
};

Read read_file(const std::filesystem::path& path, LogReadOptions o = {})
{
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    Read r;
    if (o.zone_name.empty())
        o.zone_name = "Europe/Amsterdam";
    r.result = read_connection_log(fd, path.string(), o, [&](const ConnectionEvent& e) { r.events.push_back(e); });
    ::close(fd);
    return r;
}

/// 2020-12-26 12:37:42 UTC
constexpr UnixMicros k_t = 1608986262 * k_s;

} // namespace

TEST_CASE("parse_connection_message: the portal's CONNECT and DISCONNECT")
{
    auto c = message("CONNECT fkooman (prefer-openvpn:FvrfxD1m0rvaxfWKZFY+kXAb3hn2yQjY7O37po1XDGM=) "
                     "[* => 10.222.172.6,fde6:76bd:ad97:ac5e::6]",
                     MessageVerdict::event);
    CHECK(c.kind == EventKind::connect);
    CHECK(c.user == "fkooman");
    CHECK(c.profile == "prefer-openvpn");
    CHECK(c.connection == "FvrfxD1m0rvaxfWKZFY+kXAb3hn2yQjY7O37po1XDGM=");
    CHECK(c.ip4 == "10.222.172.6");
    CHECK(c.ip6 == "fde6:76bd:ad97:ac5e::6");
    CHECK(c.originating.empty());

    auto o = message("CONNECT alice@example.org (office:07f9d5e2c3b1a4f6) [198.51.100.7 => 10.66.0.2,FD00:0::2] "
                     "[AUTH_DATA=eyJ4IjoxfQ==]",
                     MessageVerdict::event);
    CHECK(o.user == "alice@example.org");
    CHECK(o.originating == "198.51.100.7");
    CHECK(o.ip6 == "fd00::2");

    // A user id with a space and parentheses (whatever the identity provider sends).
    auto s = message("CONNECT Jane (Doe) Smith (office:abc123) [* => 10.66.0.3,]", MessageVerdict::event);
    CHECK(s.user == "Jane (Doe) Smith");
    CHECK(s.ip4 == "10.66.0.3");
    CHECK(s.ip6.empty());

    auto d = message("DISCONNECT alice@example.org (office:07f9d5e2c3b1a4f6)", MessageVerdict::event);
    CHECK(d.kind == EventKind::disconnect);
    CHECK(d.user == "alice@example.org");
    CHECK(d.connection == "07f9d5e2c3b1a4f6");
    CHECK(d.ip4.empty());

    message("Server started", MessageVerdict::unrelated);
    message("CONNECTED to database", MessageVerdict::unrelated);
    message("CONNECT alice (office:abc) [* => 10.66.0.300,]", MessageVerdict::malformed);
    message("CONNECT alice (office:abc) [* => 10.66.0.3]", MessageVerdict::malformed);
    message("CONNECT alice (office:abc) [* => ,]", MessageVerdict::malformed);
    message("CONNECT alice (office:abc) [somewhere => 10.66.0.3,]", MessageVerdict::malformed);
    message("CONNECT alice (office:abc)", MessageVerdict::malformed);
    message("CONNECT alice [* => 10.66.0.3,]", MessageVerdict::malformed);
    message("DISCONNECT alice (office:abc) trailing", MessageVerdict::malformed);
    message("DISCONNECT alice (:abc)", MessageVerdict::malformed);
}

TEST_CASE("parse_log_line: every form the contract names")
{
    LogLine l;
    std::string problem;
    auto ok = [&](std::string_view line) {
        auto v = parse_log_line(line, l, problem);
        CHECK_MESSAGE(v == LineVerdict::record, line, ": ", problem);
    };
    const std::string msg = "DISCONNECT a (p:c)";
    ok("2020-12-26T13:37:42+0100 vpn vpn-user-portal[812]: " + msg); // short-iso (older systemd)
    CHECK(l.has_year);
    CHECK(l.time == k_t);
    CHECK(l.tag == "vpn-user-portal");
    CHECK(l.message == msg);
    ok("2020-12-26T13:37:42+01:00 vpn vpn-user-portal[812]: " + msg); // short-iso (systemd 252)
    CHECK(l.time == k_t);
    ok("2020-12-26T13:37:42.250000+01:00 vpn vpn-user-portal[812]: " + msg); // short-iso-precise, rsyslog
    CHECK(l.time == k_t + 250'000);
    ok("2020-12-26T12:37:42Z vpn vpn-user-portal: " + msg);
    CHECK(l.time == k_t);
    ok("Dec 26 13:37:42.000123 vpn vpn-user-portal[812]: " + msg); // short-precise
    CHECK_FALSE(l.has_year);
    CHECK(l.yearless.month == 12);
    CHECK(l.yearless.day == 26);
    CHECK(l.yearless.micros_of_day == (13 * 3600 + 37 * 60 + 42) * k_s + 123);
    ok("Jan  2 03:04:05 vpn vpn-user-portal[812]: " + msg); // RFC 3164, space-padded day
    CHECK(l.yearless.day == 2);
    ok("<14>Jan  2 03:04:05 vpn vpn-user-portal[812]: " + msg);
    CHECK(l.tag == "vpn-user-portal");
    ok("<14>1 2020-12-26T13:37:42.003+01:00 vpn vpn-user-portal 812 - - " + msg); // RFC 5424
    CHECK(l.time == k_t + 3000);
    CHECK(l.message == msg);
    ok("<14>1 2020-12-26T12:37:42Z vpn vpn-user-portal 812 ID47 [exampleSDID@32473 iut=\"3\" x=\"a\\]b\"] \xEF\xBB\xBF" + msg);
    CHECK(l.message == msg);
    ok(R"j({"__REALTIME_TIMESTAMP":"1608986262000001","SYSLOG_IDENTIFIER":"vpn-user-portal","_HOSTNAME":"vpn","MESSAGE":"DISCONNECT a (p:c)"})j");
    CHECK(l.time == k_t + 1);
    CHECK(l.message == msg);
    ok(R"j({"__REALTIME_TIMESTAMP":"1608986262000000","SYSLOG_IDENTIFIER":"vpn-user-portal","MESSAGE":[68,73,83,67,79,78,78,69,67,84,32,97,32,40,112,58,99,41]})j");
    CHECK(l.message == msg);

    // A byte order mark before the message is dropped in every form, not only in RFC 5424.
    ok("2020-12-26T13:37:42+01:00 vpn vpn-user-portal: \xEF\xBB\xBF" + msg);
    CHECK(l.message == msg);
    ok("Dec 26 13:37:42 vpn vpn-user-portal: \xEF\xBB\xBF" + msg);
    CHECK(l.message == msg);
    ok(R"j({"__REALTIME_TIMESTAMP":"1608986262000000","MESSAGE":"\ufeffDISCONNECT a (p:c)"})j");
    CHECK(l.message == msg);
    // journalctl -o json-seq puts an ASCII record separator before each object.
    ok("\x1e" R"j({"__REALTIME_TIMESTAMP":"1608986262000002","MESSAGE":"DISCONNECT a (p:c)"})j");
    CHECK(l.time == k_t + 2);
    CHECK(l.message == msg);
    CHECK(parse_log_line("\x1e", l, problem) == LineVerdict::skip);
    // -o json-pretty spreads an object over lines: the first says what to do instead.
    CHECK(parse_log_line("{", l, problem) == LineVerdict::malformed);
    CHECK(problem.find("-o json") != std::string::npos);

    CHECK(parse_log_line("", l, problem) == LineVerdict::skip);
    CHECK(parse_log_line("-- Boot 0123456789abcdef --", l, problem) == LineVerdict::skip);
    CHECK(parse_log_line("-- No entries --", l, problem) == LineVerdict::skip);
    for (std::string_view bad :
         {"garbage", "2020-12-26T13:37:42 vpn vpn-user-portal: x", "2020-02-30T13:37:42Z vpn vpn-user-portal: x",
          "Foo 26 13:37:42 vpn vpn-user-portal: x", "Dec 26 25:37:42 vpn vpn-user-portal: x",
          "Dec 26 13:37:42 vpn", "<999>Dec 26 13:37:42 vpn t: x", "<14>1 - vpn app - - - x", "{\"MESSAGE\":\"x\"}",
          "{not json", R"j({"__REALTIME_TIMESTAMP":"12ab"})j"}) {
        CHECK_MESSAGE(parse_log_line(bad, l, problem) == LineVerdict::malformed, bad);
        CHECK_FALSE(problem.empty());
    }
}

TEST_CASE("read_connection_log: RFC 3164 across a year end gets its years from the modification time")
{
    test::TempDir dir;
    auto path = dir.write("syslog", "Dec 31 23:59:58 vpn vpn-user-portal[1]: CONNECT alice (office:c1) [* => 10.66.0.2,]\n"
                                    "Dec 31 23:59:59 vpn systemd[1]: Something else\n"
                                    "Jan  1 00:00:01 vpn vpn-user-portal[1]: DISCONNECT alice (office:c1)\n"
                                    "this line is not syslog\n"
                                    "Jan  1 00:10:00 vpn vpn-user-portal[1]: CONNECT bob (office:c2) [* => 10.66.0.2,]\n");
    LogReadOptions o;
    o.zone_name = "UTC";
    o.not_after = (1609459200 + 3600) * k_s; // 2021-01-01T01:00:00Z
    auto r = read_file(path, o);
    REQUIRE(r.events.size() == 3);
    CHECK(r.events[0].time == (1609459200 - 2) * k_s); // 2020-12-31T23:59:58Z
    CHECK(r.events[0].position == 1);
    CHECK(r.events[1].time == (1609459200 + 1) * k_s);
    CHECK(r.events[1].kind == EventKind::disconnect);
    CHECK(r.events[2].position == 5);
    CHECK(r.result.lines == 5);
    CHECK(r.result.malformed == 1);
    REQUIRE(r.result.first_problems.size() == 1);
    CHECK(r.result.first_problems[0].line == 4);
    CHECK(r.result.year_note.find("1 year end(s)") != std::string::npos);
    CHECK(r.result.year_note.find("first is in 2020") != std::string::npos);

    // Read a year later, the same lines are a year later.
    o.not_after += std::int64_t{365} * 86400 * k_s;
    CHECK(read_file(path, o).events[0].time == (1609459200 - 2 + 365 * 86400) * k_s);
    // --log-year wins.
    o.first_year = 2019;
    CHECK(read_file(path, o).events[0].time == (1577836800 - 2) * k_s);
}

TEST_CASE("read_connection_log: a zone taken from $TZ is named in what the reader assumed")
{
    test::TempDir dir;
    auto path = dir.write("syslog", "Mar 28 02:30:00 vpn vpn-user-portal: CONNECT a (p:c1) [* => 10.0.0.2,]\n"
                                    "Mar 28 03:30:00 vpn vpn-user-portal: CONNECT b (p:c2) [* => 10.0.0.3,]\n");
    const char* before = std::getenv("TZ");
    std::string saved = before ? before : "";
    ::setenv("TZ", "Europe/Berlin", 1);
    LogReadOptions o; // no --tz: the zone comes from $TZ
    o.not_after = 1616976000 * k_s; // 2021-03-29T00:00:00Z, 02:00 in Berlin
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    std::vector<ConnectionEvent> events;
    auto r = read_connection_log(fd, path.string(), o, [&](const ConnectionEvent& e) { events.push_back(e); });
    ::close(fd);
    if (before)
        ::setenv("TZ", saved.c_str(), 1);
    else
        ::unsetenv("TZ");
    CHECK(events.size() == 1);
    CHECK(r.year_note.find("2021-03-29 02:00:00 Europe/Berlin)") != std::string::npos);
    REQUIRE(r.first_problems.size() == 1);
    CHECK(r.first_problems[0].message.find("(a daylight saving gap)") != std::string::npos);
    CHECK(r.first_problems[0].message.find("in Europe/Berlin") != std::string::npos);
}

TEST_CASE("read_connection_log: local times, DST, resuming, an unterminated last line, gzip")
{
    test::TempDir dir;
    // Europe/Amsterdam, 2020-10-25: 02:00-03:00 happens twice; the lines are in order.
    auto path = dir.write("syslog", "Oct 25 02:30:00 vpn vpn-user-portal[1]: CONNECT a (p:c1) [* => 10.0.0.2,]\n"
                                    "Oct 25 02:10:00 vpn vpn-user-portal[1]: CONNECT b (p:c2) [* => 10.0.0.3,]\n"
                                    "Mar 28 02:30:00 vpn vpn-user-portal[1]: CONNECT c (p:c3) [* => 10.0.0.4,]\n");
    LogReadOptions o;
    o.zone_name = "Europe/Amsterdam";
    o.first_year = 2020;
    auto r = read_file(path, o);
    REQUIRE(r.events.size() == 2);
    CHECK(r.events[0].time == 1603585800 * k_s); // 02:30 CEST = 00:30Z
    CHECK(r.events[1].time == 1603588200 * k_s); // 02:10 CET (the second 02:10) = 01:10Z
    CHECK(r.result.malformed == 1); // after the year end: 2021-03-28 02:30 falls in the spring gap
    CHECK(r.result.first_problems[0].line == 3);
    CHECK(r.result.first_problems[0].message.find("does not exist") != std::string::npos);

    auto live = dir.write("live", "2020-12-26T12:37:42Z vpn vpn-user-portal: CONNECT a (p:c1) [* => 10.0.0.2,]\n"
                                  "2020-12-26T12:37:43Z vpn vpn-user-portal: DISCONNECT a (p:c1)");
    auto first = read_file(live);
    CHECK(first.events.size() == 1); // the last line is not finished yet
    CHECK(first.result.end.line == 1);
    dir.write("live", "2020-12-26T12:37:42Z vpn vpn-user-portal: CONNECT a (p:c1) [* => 10.0.0.2,]\n"
                      "2020-12-26T12:37:43Z vpn vpn-user-portal: DISCONNECT a (p:c1)\n");
    LogReadOptions resume;
    resume.resume = first.result.end;
    auto second = read_file(live, resume);
    REQUIRE(second.events.size() == 1);
    CHECK(second.events[0].kind == EventKind::disconnect);
    CHECK(second.events[0].position == 2);
    CHECK(second.result.lines == 1);

    auto gz = dir.path() / "syslog.2.gz";
    gzFile g = gzopen(gz.c_str(), "wb");
    std::string text = "2020-12-26T12:37:42Z vpn vpn-user-portal: CONNECT a (p:c1) [* => 10.0.0.2,]";
    gzwrite(g, text.data(), static_cast<unsigned>(text.size()));
    gzclose(g);
    auto z = read_file(gz);
    CHECK(z.result.compressed);
    REQUIRE(z.events.size() == 1); // a closed file: its last line counts without a newline
    CHECK(z.events[0].time == k_t);
    CHECK(z.events[0].vpn_proto == "openvpn");
}

TEST_CASE("infer_vpn_proto")
{
    CHECK(infer_vpn_proto("FvrfxD1m0rvaxfWKZFY+kXAb3hn2yQjY7O37po1XDGM=") == "wireguard");
    CHECK(infer_vpn_proto("07f9d5e2c3b1a4f6a7e8d9c0b1a2f3e4") == "openvpn");
    CHECK(infer_vpn_proto("FvrfxD1m0rvaxfWKZFY+kXAb3hn2yQjY7O37po1XDG-=") == "openvpn");
}
