#include "generate/generated_ruleset.hpp"

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <iterator>

namespace natfw {

namespace {

constexpr std::array<const char*, 7> k_days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
constexpr std::array<const char*, 12> k_months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/// `Tue Nov 14 23:13:20 2023`: PHP's date('D M d H:i:s Y') in `zone`, always
/// in English (the C locale), whatever the user's locale.
std::string generation_time(UnixSeconds stamp, const date::time_zone& zone)
{
    auto local = zone.to_local(date::sys_seconds{std::chrono::seconds{stamp}});
    auto day = date::floor<date::days>(local);
    date::year_month_day ymd{day};
    date::hh_mm_ss hms{local - day};
    date::weekday wd{day};
    return fmt::format("{} {} {:02} {:02}:{:02}:{:02} {}", k_days[wd.c_encoding()],
                       k_months[static_cast<unsigned>(ymd.month()) - 1], static_cast<unsigned>(ymd.day()),
                       hms.hours().count(), hms.minutes().count(), hms.seconds().count(),
                       static_cast<int>(ymd.year()));
}

/// `text` without its date comment line, if it starts with one.
std::string_view without_date(std::string_view text)
{
    if (!text.starts_with(k_generated_comment))
        return text;
    auto eol = text.find('\n');
    return eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
}

} // namespace

std::string generate_ruleset(const GeneratorInput& input, UnixSeconds stamp, const date::time_zone& zone)
{
    std::uint64_t clients = 0;
    for (const auto& n : input.networks)
        clients += n.client_count();
    auto plan = plan_ports(clients, input.avoid);

    std::string ip = format_ipv4(input.public_ip);
    std::string out;
    out.reserve(160 + clients * 2 * 80);
    auto put = std::back_inserter(out);
    fmt::format_to(put, "{}{}\n", k_generated_comment, generation_time(stamp, zone));
    fmt::format_to(put, "# NAT ports per client: {}\n", plan.ports_per_client);
    out += "*nat\n"
           ":PREROUTING ACCEPT [0:0]\n"
           ":INPUT ACCEPT [0:0]\n"
           ":POSTROUTING ACCEPT [0:0]\n"
           ":OUTPUT ACCEPT [0:0]\n";
    fmt::format_to(put, "-A POSTROUTING -p icmp -j SNAT --to-source {}\n", ip);
    auto block = plan.blocks.begin();
    for (const auto& network : input.networks) {
        for (Ipv4 a = network.first_client();; ++a) {
            std::string client = format_ipv4(a);
            for (const char* proto : {"tcp", "udp"})
                fmt::format_to(put, "-A POSTROUTING -s {} -p {} -j SNAT --to-source {}:{}-{}\n", client, proto, ip,
                               block->lo, block->hi);
            ++block;
            if (a == network.last_client())
                break;
        }
    }
    out += "COMMIT\n"
           "*filter\n"
           ":INPUT ACCEPT [0:0]\n"
           ":FORWARD ACCEPT [0:0]\n"
           ":OUTPUT ACCEPT [0:0]\n"
           "COMMIT\n";
    return out;
}

bool same_apart_from_date(std::string_view a, std::string_view b)
{
    return without_date(a) == without_date(b);
}

} // namespace natfw
