#include "present/printable_json.hpp"
#include "present/render.hpp"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

using namespace natfw;

namespace {

SnapshotMeta snapshot()
{
    return {7, "vpn1", 1596240000, "/etc/iptables/rules.v4.1596240000", "b52e", 1, FileStat{100, 0}, ""};
}

Query query()
{
    Query q;
    q.input = "@1608986262";
    q.instants = {1608986262};
    q.zone = "unix seconds";
    q.ip = *parse_ipv4("192.0.2.10");
    q.port = 65300;
    q.proto = "tcp";
    return q;
}

Candidate candidate(const SnapshotMeta& s, const std::string& internal)
{
    Candidate c;
    c.internal = internal;
    c.single_host = internal.find('/') == std::string::npos;
    c.snapshot = &s;
    c.valid_to = 1612137600;
    c.line = 9;
    c.rule = "-A POSTROUTING -s " + internal + " -p tcp -j SNAT --to-source 192.0.2.10:65024-65535";
    c.proto = "tcp";
    c.ports = {65024, 65535};
    c.instant = 1608986262;
    return c;
}

} // namespace

TEST_CASE("render_text")
{
    const auto s = snapshot();
    SUBCASE("a unique answer with its evidence")
    {
        Answer a;
        a.status = Status::unique;
        a.candidates.push_back(candidate(s, "10.66.0.2"));
        CHECK(render_text(query(), a) ==
              "query:    192.0.2.10 port 65300 tcp at 2020-12-26T12:37:42Z (\"@1608986262\" read as unix seconds)\n"
              "unique:   10.66.0.2\n"
              "\n"
              "candidate 10.66.0.2 (tcp 65024-65535)\n"
              "  node:     vpn1\n"
              "  snapshot: /etc/iptables/rules.v4.1596240000\n"
              "  sha256:   b52e\n"
              "  in force: 2020-08-01T00:00:00Z .. 2021-02-01T00:00:00Z\n"
              "  line 9: -A POSTROUTING -s 10.66.0.2 -p tcp -j SNAT --to-source 192.0.2.10:65024-65535\n");
    }
    SUBCASE("ambiguous: the reason, exclusions, may-match conditions and warnings")
    {
        Answer a;
        a.status = Status::ambiguous;
        a.reason = "the rule's source 10.66.0.0/24 covers more than one address";
        a.candidates.push_back(candidate(s, "10.66.0.0/24"));
        a.candidates.back().excluded = "10.66.0.2";
        a.candidates.back().conditions = {"-o eth0"};
        a.candidates.back().valid_to.reset();
        a.warnings = {"port in ephemeral range"};
        auto text = render_text(query(), a);
        CHECK(text.find("ambiguous: the rule's source 10.66.0.0/24 covers more than one address\n") !=
              std::string::npos);
        CHECK(text.find("candidate 10.66.0.0/24 except 10.66.0.2 (tcp 65024-65535)\n") != std::string::npos);
        CHECK(text.find("  in force: 2020-08-01T00:00:00Z .. (still in force)\n") != std::string::npos);
        CHECK(text.find("  may match: only if -o eth0 (not known from the complaint)\n") != std::string::npos);
        CHECK(text.ends_with("\nwarning: port in ephemeral range\n"));
    }
    SUBCASE("none: the reason alone")
    {
        Answer a;
        a.reason = "no ruleset maps 192.0.2.10 tcp port 65300 at 2020-12-26T12:37:42Z: x";
        auto text = render_text(query(), a);
        CHECK(text.ends_with("\nnone: no ruleset maps 192.0.2.10 tcp port 65300 at 2020-12-26T12:37:42Z: x\n"));
        CHECK(text.find("candidate") == std::string::npos);
    }
}

TEST_CASE("render_json")
{
    const auto s = snapshot();
    Answer a;
    a.status = Status::unique;
    a.candidates.push_back(candidate(s, "10.66.0.2"));
    a.warnings = {"w"};
    auto text = render_json(query(), a);
    REQUIRE(text.ends_with("}\n"));
    auto j = nlohmann::json::parse(text);
    CHECK(j["status"] == "unique");
    CHECK(j["internal"] == "10.66.0.2");
    CHECK(j["query"]["time"] == "2020-12-26T12:37:42Z");
    CHECK(j["query"]["unix"] == 1608986262);
    CHECK(j["query"]["port"] == 65300);
    CHECK(j["query"]["proto"] == "tcp");
    REQUIRE(j["candidates"].size() == 1);
    const auto& c = j["candidates"][0];
    CHECK(c["snapshot"] == "/etc/iptables/rules.v4.1596240000");
    CHECK(c["valid_from"] == "2020-08-01T00:00:00Z");
    CHECK(c["valid_to"] == "2021-02-01T00:00:00Z");
    CHECK(c["line"] == 9);
    CHECK(c["port_range"] == nlohmann::json::array({65024, 65535}));
    CHECK_FALSE(c.contains("except"));
    CHECK(j["warnings"] == nlohmann::json::array({"w"}));
    SUBCASE("none: internal is null, the message says why")
    {
        Answer none;
        none.reason = "why";
        auto n = nlohmann::json::parse(render_json(query(), none));
        CHECK(n["status"] == "none");
        CHECK(n["internal"].is_null());
        CHECK(n["candidates"].empty());
        CHECK(n["message"] == "why");
    }
}

TEST_CASE("printable_json: text that is not UTF-8 is printed with U+FFFD instead of stopping the output")
{
    nlohmann::json value{{"snapshot", std::string("/etc/iptables/r\xe9gles.v4.1600000000")}};
    CHECK(printable_json(value) == "{\"snapshot\":\"/etc/iptables/r\xef\xbf\xbdgles.v4.1600000000\"}");
}
