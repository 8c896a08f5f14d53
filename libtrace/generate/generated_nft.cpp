#include "generate/generated_nft.hpp"

#include <fmt/format.h>

#include <iterator>

namespace natfw {

std::string generate_nft_table(const GeneratorInput& input, UnixSeconds stamp, const date::time_zone& zone)
{
    auto allocation = allocate_blocks(input);
    std::string ip = format_ipv4(input.public_ip);
    std::string out;
    out.reserve(800 + allocation.blocks.size() * 48);
    auto put = std::back_inserter(out);
    fmt::format_to(put, "{}{}\n", k_nft_generated_comment, generation_time_text(stamp, zone));
    fmt::format_to(put, "# NAT ports per client: {}\n", allocation.ports_per_client);
    // Creating the table before deleting it makes the delete valid on a first
    // load too; nft -f runs the three as one transaction.
    fmt::format_to(put, "table ip {0}\ndelete table ip {0}\ntable ip {0} {{\n", k_nft_table);
    // `interval` in the data type: a port range is one value of the map.
    out += "\tmap blocks {\n"
           "\t\ttype ipv4_addr : interval ipv4_addr . inet_service\n"
           "\t\tflags interval\n"
           "\t\telements = {";
    bool first = true;
    for (const auto& [client, ports] : allocation.blocks) {
        fmt::format_to(put, "{}\n\t\t\t{} : {} . {}-{}", first ? "" : ",", format_ipv4(client), ip, ports.lo, ports.hi);
        first = false;
    }
    out += "\n\t\t}\n"
           "\t}\n"
           "\n"
           "\tchain postrouting {\n"
           "\t\ttype nat hook postrouting priority srcnat - 10; policy accept;\n";
    fmt::format_to(put, "\t\tmeta l4proto icmp snat to {}\n", ip);
    out += "\t\tmeta l4proto { tcp, udp } snat ip to ip saddr map @blocks\n"
           "\t}\n"
           "}\n";
    return out;
}

} // namespace natfw
