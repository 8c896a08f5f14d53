#include "parse/hook_record.hpp"

#include "parse/connection_message.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace natfw {

namespace {

std::string value(const EnvLookup& env, const char* name)
{
    const char* v = env(name);
    return v ? v : "";
}

} // namespace

std::optional<std::string> hook_record_line(const EnvLookup& env, UnixMicros now, const std::string& host,
                                            std::string& problem)
{
    auto event = value(env, "VPN_EVENT");
    if (event != "C" && event != "D") {
        problem = event.empty() ? "VPN_EVENT is not set: not run by the portal's connect script hook?"
                                : fmt::format("VPN_EVENT is \"{}\", not C or D", event);
        return std::nullopt;
    }
    auto user = value(env, "VPN_USER_ID"), profile = value(env, "VPN_PROFILE_ID"),
         connection = value(env, "VPN_CONNECTION_ID");
    if (user.empty() || profile.empty() || connection.empty()) {
        problem = "VPN_USER_ID, VPN_PROFILE_ID or VPN_CONNECTION_ID is empty";
        return std::nullopt;
    }
    std::string message;
    if (event == "C") {
        auto originating = value(env, "VPN_ORIGINATING_IP");
        message = fmt::format("CONNECT {} ({}:{}) [{} => {},{}]", user, profile, connection,
                              originating.empty() ? "*" : originating, value(env, "VPN_IP_FOUR"),
                              value(env, "VPN_IP_SIX"));
    } else {
        message = fmt::format("DISCONNECT {} ({}:{})", user, profile, connection);
    }
    // Checked here as ingest will read it: a record ingest cannot read is
    // better reported by the hook, at the time, than found later.
    ConnectionEvent parsed;
    if (parse_connection_message(message, parsed, problem) != MessageVerdict::event)
        return std::nullopt;
    nlohmann::ordered_json j = {{"__REALTIME_TIMESTAMP", std::to_string(now)},
                                {"_HOSTNAME", host},
                                {"SYSLOG_IDENTIFIER", "vpn-user-portal"},
                                {"MESSAGE", message}};
    for (const char* name : {"VPN_PROTO", "VPN_BYTES_IN", "VPN_BYTES_OUT"})
        if (auto v = value(env, name); !v.empty())
            j[name] = v;
    // Invalid UTF-8 in a user id is kept as U+FFFD rather than lost with the event.
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

} // namespace natfw
