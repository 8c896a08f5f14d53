#include "parse/hook_record.hpp"
#include "parse/connection_message.hpp"
#include "parse/log_line.hpp"

#include <doctest/doctest.h>

#include <map>

using namespace natfw;

namespace {

struct Env {
    std::map<std::string, std::string> vars;
    EnvLookup lookup() const
    {
        return [this](const char* name) -> const char* {
            auto it = vars.find(name);
            return it == vars.end() ? nullptr : it->second.c_str();
        };
    }
};

constexpr UnixMicros k_now = 1608986262'123456;

} // namespace

TEST_CASE("hook_record_line: what the portal's hook reports is read back as the same event")
{
    Env env{{{"VPN_EVENT", "C"},
             {"VPN_USER_ID", "Jane Doe (staff)"},
             {"VPN_PROFILE_ID", "employees"},
             {"VPN_CONNECTION_ID", "9fOmm3Gq8vPk7T5yWcCKsYbT2lH6jJ0xQ1rN4aE8uV0="},
             {"VPN_PROTO", "wireguard"},
             {"VPN_ORIGINATING_IP", "2001:db8::7"},
             {"VPN_IP_FOUR", "10.66.0.5"},
             {"VPN_IP_SIX", "fd66::5"}}};
    std::string problem;
    auto line = hook_record_line(env.lookup(), k_now, "vpn1", problem);
    REQUIRE_MESSAGE(line, problem);
    CHECK(line->back() == '\n');
    CHECK(line->find('\n') == line->size() - 1);

    LogLine parsed;
    REQUIRE(parse_log_line(line->substr(0, line->size() - 1), parsed, problem) == LineVerdict::record);
    CHECK(parsed.time == k_now);
    CHECK(parsed.tag == "vpn-user-portal");
    ConnectionEvent e;
    REQUIRE(parse_connection_message(parsed.message, e, problem) == MessageVerdict::event);
    CHECK(e.kind == EventKind::connect);
    CHECK(e.user == "Jane Doe (staff)");
    CHECK(e.profile == "employees");
    CHECK(e.connection == "9fOmm3Gq8vPk7T5yWcCKsYbT2lH6jJ0xQ1rN4aE8uV0=");
    CHECK(e.ip4 == "10.66.0.5");
    CHECK(e.ip6 == "fd66::5");
    CHECK(e.originating == "2001:db8::7");

    env.vars = {{"VPN_EVENT", "D"}, {"VPN_USER_ID", "bob"}, {"VPN_PROFILE_ID", "p"}, {"VPN_CONNECTION_ID", "c1"}};
    line = hook_record_line(env.lookup(), k_now, "vpn1", problem);
    REQUIRE(line);
    REQUIRE(parse_log_line(line->substr(0, line->size() - 1), parsed, problem) == LineVerdict::record);
    REQUIRE(parse_connection_message(parsed.message, e, problem) == MessageVerdict::event);
    CHECK(e.kind == EventKind::disconnect);
    CHECK(e.user == "bob");
}

TEST_CASE("hook_record_line: an environment that is not the portal's is refused with a reason")
{
    std::string problem;
    CHECK_FALSE(hook_record_line(Env{}.lookup(), k_now, "h", problem));
    CHECK(problem.find("VPN_EVENT is not set") != std::string::npos);
    Env env{{{"VPN_EVENT", "X"}}};
    CHECK_FALSE(hook_record_line(env.lookup(), k_now, "h", problem));
    CHECK(problem.find("not C or D") != std::string::npos);
    env.vars = {{"VPN_EVENT", "C"}, {"VPN_USER_ID", "u"}, {"VPN_PROFILE_ID", "p"}};
    CHECK_FALSE(hook_record_line(env.lookup(), k_now, "h", problem));
    CHECK(problem.find("VPN_CONNECTION_ID") != std::string::npos);
    env.vars["VPN_CONNECTION_ID"] = "c";
    env.vars["VPN_IP_FOUR"] = "not-an-address";
    CHECK_FALSE(hook_record_line(env.lookup(), k_now, "h", problem));
    CHECK_FALSE(problem.empty());
}
