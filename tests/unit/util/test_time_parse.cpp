#include "util/errors.hpp"
#include "util/time_parse.hpp"

#include <doctest/doctest.h>

using namespace natfw;

namespace {

// 2020-12-26 12:37:42 UTC, the seed document's incident.
constexpr UnixSeconds k_incident = 1608986262;

UnixSeconds one(const TimeParser& p, std::string_view text)
{
    auto t = p.parse(text);
    REQUIRE(t.instants.size() == 1);
    return t.instants[0];
}

std::string error_of(const TimeParser& p, std::string_view text)
{
    try {
        p.parse(text);
    } catch (const UsageError& e) {
        return e.what();
    }
    return "(no error)";
}

} // namespace

TEST_CASE("TimeParser::parse")
{
    TimeParser amsterdam("Europe/Amsterdam");
    TimeParser utc("UTC");

    SUBCASE("local times in the parser's zone")
    {
        CHECK(one(amsterdam, "2020-12-26 13:37:42") == k_incident);
        CHECK(one(amsterdam, "2020/12/26 13:37:42") == k_incident);
        CHECK(one(utc, "2020-12-26 12:37:42") == k_incident);
        CHECK(one(amsterdam, "  2020-12-26 13:37:42  ") == k_incident);
        CHECK(amsterdam.parse("2020-12-26 13:37:42").zone == "Europe/Amsterdam");
    }
    SUBCASE("ISO 8601 with Z or an offset, with and without fractions")
    {
        CHECK(one(amsterdam, "2020-12-26T12:37:42Z") == k_incident);
        CHECK(one(amsterdam, "2020-12-26T12:37:42z") == k_incident);
        CHECK(one(amsterdam, "2020-12-26T12:37:42.999Z") == k_incident);
        CHECK(one(amsterdam, "2020-12-26T12:37:42,5Z") == k_incident);
        CHECK(one(utc, "2020-12-26T13:37:42+01:00") == k_incident);
        CHECK(one(utc, "2020-12-26T13:37:42+0100") == k_incident);
        CHECK(one(utc, "2020-12-26T13:37:42+01") == k_incident);
        CHECK(one(utc, "2020-12-26T07:37:42-05:00") == k_incident);
        CHECK(one(utc, "2020-12-26 13:37:42 +01:00") == k_incident);
        CHECK(one(utc, "2020-12-26T13:37:42.123456+01:00") == k_incident);
    }
    SUBCASE("an offset or zone written in the time wins over --tz")
    {
        CHECK(one(amsterdam, "2020-12-26 12:37:42 UTC") == k_incident);
        CHECK(one(amsterdam, "2020-12-26 12:37:42Z") == k_incident);
        CHECK(one(utc, "2020-12-26 13:37:42 Europe/Amsterdam") == k_incident);
        CHECK(one(utc, "2020-12-26 21:37:42 Asia/Tokyo") == k_incident);
    }
    SUBCASE("RFC 2822")
    {
        CHECK(one(utc, "Sat, 26 Dec 2020 13:37:42 +0100") == k_incident);
        CHECK(one(utc, "26 Dec 2020 13:37:42 +0100") == k_incident);
        CHECK(one(utc, "Sat, 26 Dec 2020 12:37:42 GMT") == k_incident);
        CHECK(one(utc, "Sat, 26 Dec 2020 07:37:42 EST") == k_incident);
        CHECK(one(utc, "Sat, 26 Dec 2020 04:37:42 PST") == k_incident);
        CHECK(one(utc, "Sat, 26 Dec 2020 05:37:42 PDT") == k_incident);
        CHECK(error_of(utc, "Sun, 26 Dec 2020 13:37:42 +0100").find("does not match 2020-12-26, a Saturday") !=
              std::string::npos);
    }
    SUBCASE("Apache common log format")
    {
        CHECK(one(utc, "26/Dec/2020:13:37:42 +0100") == k_incident);
    }
    SUBCASE("zone abbreviations as fixed offsets")
    {
        CHECK(one(utc, "2020-12-26 13:37:42 CET") == k_incident);
        CHECK(one(utc, "2020-12-26 14:37:42 CEST") == k_incident);
        CHECK(one(utc, "2020-12-26 14:37:42 EET") == k_incident);
        CHECK(one(utc, "2020-12-26 15:37:42 EEST") == k_incident);
        CHECK(one(utc, "2020-12-26 12:37:42 WET") == k_incident);
        CHECK(one(utc, "2020-12-26 13:37:42 WEST") == k_incident);
        CHECK(one(utc, "2020-12-26 12:37:42 UT") == k_incident);
        CHECK(one(utc, "2020-12-26 12:37:42 GMT") == k_incident);
        CHECK(utc.parse("2020-12-26 13:37:42 CET").zone == "CET (+01:00)");
    }
    SUBCASE("other abbreviations are refused with a hint")
    {
        CHECK(error_of(utc, "2020-12-26 13:37:42 IST") ==
              "cannot read time \"2020-12-26 13:37:42 IST\": the zone abbreviation IST is ambiguous or unknown; "
              "write an offset (+01:00) or an IANA zone name (Europe/Amsterdam)");
        CHECK(error_of(utc, "2020-12-26 13:37:42 BST").find("BST is ambiguous") != std::string::npos);
        // North American names only mean something inside RFC 2822 dates.
        CHECK(error_of(utc, "2020-12-26 13:37:42 EST").find("EST is ambiguous") != std::string::npos);
    }
    SUBCASE("UNIX seconds")
    {
        CHECK(one(amsterdam, "1608986262") == k_incident);
        CHECK(one(amsterdam, "@1608986262") == k_incident);
        CHECK(one(amsterdam, "@0") == 0);
        CHECK(amsterdam.parse("1608986262").zone == "unix seconds");
        CHECK(error_of(utc, "1608986262000") ==
              "cannot read time \"1608986262000\": a 13-digit number looks like milliseconds; give UNIX seconds");
        CHECK(error_of(utc, "20201226").find("9 to 11 digits") != std::string::npos);
    }
    SUBCASE("DST gap is an error")
    {
        CHECK(error_of(amsterdam, "2020-03-29 02:30:00") ==
              "cannot read time \"2020-03-29 02:30:00\": 2020-03-29 02:30:00 does not exist in Europe/Amsterdam "
              "(skipped by a daylight-saving change)");
    }
    SUBCASE("DST overlap gives both instants, earlier first")
    {
        auto t = amsterdam.parse("2020-10-25 02:30:00");
        REQUIRE(t.instants.size() == 2);
        CHECK(t.instants[0] == 1603585800); // 00:30 UTC, still CEST
        CHECK(t.instants[1] == 1603589400); // 01:30 UTC, CET
        // With an offset the same wall time is one instant.
        CHECK(one(amsterdam, "2020-10-25 02:30:00 +01:00") == 1603589400);
    }
    SUBCASE("trailing junk and impossible fields are rejected")
    {
        CHECK(error_of(utc, "2020-12-26 13:37:42 garbage") ==
              "cannot read time \"2020-12-26 13:37:42 garbage\": unknown time zone \"garbage\"; write an offset "
              "(+01:00) or an IANA zone name (Europe/Amsterdam)");
        CHECK(error_of(utc, "2020-12-26 13:37:42Zjunk").find("unexpected") != std::string::npos);
        CHECK(error_of(utc, "2020-12-26 13:37:42+01:00x").find("unexpected") != std::string::npos);
        CHECK(error_of(utc, "2020-02-30 13:37:42").find("is not a date") != std::string::npos);
        CHECK(error_of(utc, "2020-13-01 13:37:42").find("is not a date") != std::string::npos);
        CHECK(error_of(utc, "2020-12-26 24:00:00").find("is not a time of day") != std::string::npos);
        CHECK(error_of(utc, "2020-12-26 23:59:60").find("is not a time of day") != std::string::npos);
        CHECK(error_of(utc, "2020-12-26 13:37").find("seconds are missing") != std::string::npos);
        CHECK(error_of(utc, "2020-12-26").find("clock time is missing") != std::string::npos);
        CHECK(error_of(utc, "") == "cannot read time \"\": it is empty");
        CHECK(error_of(utc, "yesterday").find("cannot read time") == 0);
        CHECK(error_of(utc, "2020-12-26 13:37:42 +25:00").find("offset is out of range") != std::string::npos);
    }
    SUBCASE("the default zone comes from $TZ")
    {
        TimeParser from_env; // TZ=UTC is set for the unit tests by CTest
        CHECK(one(from_env, "2020-12-26 12:37:42") == k_incident);
    }
    SUBCASE("UTC by name is read without the tz database, as the database reads it")
    {
        // The database's UTC and Etc/GMT are the same zone under other names;
        // UTC and Etc/UTC now take the short way, which must agree with it.
        TimeParser gmt("Etc/GMT");
        for (const char* name : {"UTC", "Etc/UTC"}) {
            TimeParser by_name(name);
            for (const char* text : {"2020-12-26 12:37:42", "2020-12-26T12:37:42", "Sat Dec 26 12:37:42 2020",
                                     "Dec 26 12:37:42 2020", "2021-03-28 02:30:00", "1969-07-20 20:17:40"}) {
                auto got = by_name.parse(text), want = gmt.parse(text);
                CHECK(got.instants == want.instants);
                CHECK(got.zone == name);
            }
        }
        CHECK(error_of(TimeParser("UTC"), "2020-02-30 12:00:00").find("is not a date") != std::string::npos);
    }
    SUBCASE("an unknown --tz is a usage error, raised only when needed")
    {
        TimeParser bad("Mars/Olympus");
        CHECK(one(bad, "2020-12-26T12:37:42Z") == k_incident);
        CHECK(error_of(bad, "2020-12-26 12:37:42").find("\"Mars/Olympus\" is not an IANA time zone name") !=
              std::string::npos);
    }
}

TEST_CASE("format_iso_utc")
{
    CHECK(format_iso_utc(k_incident) == "2020-12-26T12:37:42Z");
    CHECK(format_iso_utc(0) == "1970-01-01T00:00:00Z");
    CHECK(format_iso_utc(4102444800) == "2100-01-01T00:00:00Z");
}

namespace {

/// A time read by the fast path and, with a leading blank that keeps it off
/// that path, by the general reader.
struct BothReadings {
    ParsedTime fast, general;
    std::string fast_error, general_error;
};

BothReadings read_both(const TimeParser& p, const std::string& text)
{
    BothReadings r;
    try {
        r.fast = p.parse(text);
    } catch (const UsageError& e) {
        r.fast_error = e.what();
    }
    try {
        r.general = p.parse(" " + text);
    } catch (const UsageError& e) {
        r.general_error = e.what();
    }
    return r;
}

} // namespace

TEST_CASE("TimeParser fast path agrees with the general reader")
{
    std::uint64_t state = 88172645463325252ULL; // xorshift: deterministic, no <random> distribution quirks
    auto next = [&] {
        state ^= state << 13, state ^= state >> 7, state ^= state << 17;
        return state;
    };
    for (const char* zone : {"UTC", "Europe/Amsterdam", "America/New_York", "Australia/Lord_Howe", "Pacific/Apia"}) {
        TimeParser p(zone);
        int compared = 0;
        for (int i = 0; i < 20000; ++i) {
            // Around 2011-12-29 (Apia skipped a day) and otherwise 1990-2035.
            UnixSeconds t = i % 10 == 0 ? 1325000000 + static_cast<UnixSeconds>(next() % 400000)
                                        : 631152000 + static_cast<UnixSeconds>(next() % 1420000000);
            std::string iso = format_iso_utc(t);
            std::string local = iso.substr(0, 10) + (i % 2 ? "T" : " ") + iso.substr(11, 8);
            for (std::string text : {local, local + "Z", local + "+05:30", local + "-0800", local + ".25"}) {
                auto r = read_both(p, text);
                REQUIRE_MESSAGE(r.fast.instants == r.general.instants, zone << " " << text);
                REQUIRE_MESSAGE(r.fast.zone == r.general.zone, zone << " " << text);
                REQUIRE_MESSAGE(r.fast_error.empty() == r.general_error.empty(), zone << " " << text);
                ++compared;
            }
        }
        CHECK(compared == 100000);
    }
    SUBCASE("every 15 minutes across DST changes and a skipped day")
    {
        struct Change {
            const char* zone;
            UnixSeconds utc; ///< the change's instant, roughly
        };
        const Change changes[] = {{"Europe/Amsterdam", 1585443600}, {"Europe/Amsterdam", 1603587600},
                                  {"America/New_York", 1615705200}, {"America/New_York", 1636264800},
                                  {"Australia/Lord_Howe", 1633188600}, {"Australia/Lord_Howe", 1617460200},
                                  {"Pacific/Apia", 1325239200}};
        int refused = 0, doubled = 0;
        for (const auto& c : changes) {
            TimeParser p(c.zone);
            for (UnixSeconds t = c.utc - 2 * 86400; t <= c.utc + 2 * 86400; t += 900) {
                // The wall-clock text of every quarter hour near the change, read as local time.
                std::string iso = format_iso_utc(t);
                auto r = read_both(p, iso.substr(0, 10) + " " + iso.substr(11, 8));
                REQUIRE_MESSAGE(r.fast.instants == r.general.instants, c.zone << " " << iso);
                REQUIRE_MESSAGE(r.fast_error.empty() == r.general_error.empty(), c.zone << " " << iso);
                refused += !r.fast_error.empty();
                doubled += r.fast.instants.size() == 2;
            }
        }
        CHECK(refused > 0); // local times that do not exist
        CHECK(doubled > 0); // and ones that exist twice
    }
}

TEST_CASE("TimeParser reads date(1) output and fractional UNIX seconds")
{
    TimeParser utc("UTC");
    TimeParser amsterdam("Europe/Amsterdam");
    CHECK(utc.parse("Sat Dec 26 13:37:42 CET 2020").instants == std::vector<UnixSeconds>{k_incident});
    CHECK(utc.parse("Sat Dec 26 12:37:42 UTC 2020").instants == std::vector<UnixSeconds>{k_incident});
    CHECK(utc.parse("Sat Dec 26 13:37:42 +0100 2020").instants == std::vector<UnixSeconds>{k_incident});
    CHECK(amsterdam.parse("Sat Dec 26 13:37:42 2020").instants == std::vector<UnixSeconds>{k_incident});
    CHECK(amsterdam.parse("Sat Dec 26 13:37:42 Europe/Amsterdam 2020").instants == std::vector<UnixSeconds>{k_incident});
    CHECK(error_of(utc, "Sat Dec 26 13:37:42 IST 2020").find("IST is ambiguous") != std::string::npos);
    CHECK(error_of(utc, "Sun Dec 26 13:37:42 CET 2020").find("does not match 2020-12-26, a Saturday") !=
          std::string::npos);
    CHECK(error_of(utc, "Sat Dec 26 13:37:42 CET 2020 x").find("after the year") != std::string::npos);
    CHECK(utc.parse("1608986262.999").instants == std::vector<UnixSeconds>{k_incident});
    CHECK(utc.parse("@1608986262.5").instants == std::vector<UnixSeconds>{k_incident});
    CHECK(error_of(utc, "1608986262.5x").find("cannot read time") == 0);
    CHECK(error_of(utc, "@16089x").find("expected UNIX seconds after '@'") != std::string::npos);
}

TEST_CASE("TimeParser reads what desks paste, and says what is missing where it cannot")
{
    TimeParser utc("UTC");
    TimeParser amsterdam("Europe/Amsterdam");
    // A mail's Date: header as mail clients show it: the comment is checked, the offset counts.
    CHECK(one(utc, "Sat, 26 Dec 2020 13:37:42 +0100 (CET)") == k_incident);
    CHECK(one(utc, "Sat, 26 Dec 2020 12:37:42 +0000 (UTC)") == k_incident);
    CHECK(one(utc, "26 Dec 2020 13:37:42 +0100 (Central European Standard Time)") == k_incident);
    CHECK(one(utc, "2020-12-26 13:37:42 +01:00 (CET)") == k_incident);
    CHECK(error_of(utc, "Sat, 26 Dec 2020 13:37:42 +0100 (CEST)") ==
          "cannot read time \"Sat, 26 Dec 2020 13:37:42 +0100 (CEST)\": the offset +01:00 and the zone in the "
          "comment (CEST, +02:00) disagree; write the one you trust");
    CHECK(error_of(utc, "Sat, 26 Dec 2020 13:37:42 +0100 (CET").find("no closing ')'") != std::string::npos);
    CHECK(error_of(utc, "Sat, 26 Dec 2020 13:37:42 +0100 (CET) x").find("unexpected \"x\" after the offset") !=
          std::string::npos);
    // Syslog's form: with a year it is read; without, the error says the year is what is missing.
    CHECK(one(amsterdam, "Dec 26 13:37:42 2020") == k_incident);
    CHECK(one(utc, "Dec 26 13:37:42 CET 2020") == k_incident);
    CHECK(error_of(utc, "Dec 26 13:37:42") ==
          "cannot read time \"Dec 26 13:37:42\": the year is missing (syslog times leave it out); write the date "
          "with its year, as 2020-12-26 13:37:42");
    CHECK(error_of(utc, "Dec 26 13:37:42 CET").find("the year is missing") != std::string::npos);
    // Numeric dates whose order depends on the writer, and 12-hour clocks, are refused with the way out.
    CHECK(error_of(utc, "12/26/2020 1:37:42 PM") ==
          "cannot read time \"12/26/2020 1:37:42 PM\": 12/26/2020 is a numeric date whose order (month/day or "
          "day/month) depends on who wrote it; write it year first, as 2020-12-26");
    CHECK(error_of(utc, "05/06/2020 13:37:42").find("05/06/2020 is a numeric date") != std::string::npos);
    CHECK(error_of(utc, "2020-12-26 1:37:42 PM").find("a 12-hour clock (AM/PM) is not read") != std::string::npos);
    CHECK(error_of(utc, "2020-12-26 1:37:42 am").find("a 12-hour clock (AM/PM) is not read") != std::string::npos);
    // Apache's day/Month/year stays readable: the month is a name.
    CHECK(one(utc, "26/Dec/2020:13:37:42 +0100") == k_incident);
    CHECK(error_of(utc, "26/").find("cannot read time") == 0);
}
