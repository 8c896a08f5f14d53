#include "util/time_zone.hpp"

#include "util/errors.hpp"

#include <date/tz.h>
#include <fmt/format.h>

#include <cstdlib>
#include <string>

namespace natfw {

namespace {

/// $TZ as POSIX and glibc read it: a leading ':' means "a zone file", a path
/// under zoneinfo/ names the zone after it, an empty value means UTC.
std::string zone_from_env(const char* env)
{
    std::string name = env;
    if (!name.empty() && name.front() == ':')
        name.erase(0, 1);
    if (!name.empty() && name.front() == '/')
        if (auto pos = name.find("zoneinfo/"); pos != std::string::npos)
            name.erase(0, pos + 9);
    return name.empty() ? "UTC" : name;
}

/// The zone name asked for: `name`, else `$TZ`'s; empty for the system zone.
std::string chosen_zone(std::string_view name, std::string_view& origin)
{
    std::string chosen(name);
    if (chosen.empty()) {
        if (const char* env = std::getenv("TZ")) {
            origin = "$TZ";
            chosen = zone_from_env(env);
        }
    }
    return chosen;
}

} // namespace

std::string utc_zone_name(std::string_view name)
{
    std::string_view origin;
    auto chosen = chosen_zone(name, origin);
    return chosen == "UTC" || chosen == "Etc/UTC" ? chosen : std::string();
}

const date::time_zone* resolve_zone(std::string_view name, std::string_view origin)
{
    std::string chosen = chosen_zone(name, origin);
    try {
        return chosen.empty() ? date::current_zone() : date::locate_zone(chosen);
    } catch (const std::exception& e) {
        if (chosen.empty())
            throw UsageError(fmt::format("cannot determine the system time zone ({}); use --tz", e.what()));
        throw UsageError(fmt::format("{} \"{}\" is not an IANA time zone name; use --tz "
                                     "Europe/Amsterdam or similar",
                                     origin, chosen));
    }
}

} // namespace natfw
