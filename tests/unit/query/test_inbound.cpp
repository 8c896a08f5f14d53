#include "query/inbound.hpp"

#include <doctest/doctest.h>

using namespace natfw;

TEST_CASE("match_dnat")
{
    const Ipv4 ip = *parse_ipv4("192.0.2.1");
    SUBCASE("-d and --dport decide; -m tcp is no condition")
    {
        auto m = match_dnat({"-d 192.0.2.1/32", "-m tcp", "--dport 8080"}, ip, 8080);
        CHECK(m.destination);
        CHECK(m.port);
        CHECK(m.dports == PortRange{8080, 8080});
        CHECK(m.may_match.empty());
        CHECK_FALSE(match_dnat({"-d 192.0.2.2/32", "--dport 8080"}, ip, 8080).destination);
        CHECK_FALSE(match_dnat({"-d 192.0.2.1/32", "--dport 8081"}, ip, 8080).port);
    }
    SUBCASE("ranges, multiport lists and negation")
    {
        CHECK(match_dnat({"--dport 9000:9100"}, ip, 9100).port);
        CHECK_FALSE(match_dnat({"--dport 9000:9100"}, ip, 9101).port);
        auto m = match_dnat({"-m multiport", "--dports 5000:5010,6000"}, ip, 6000);
        CHECK(m.port);
        CHECK(m.dports == PortRange{6000, 6000});
        CHECK_FALSE(match_dnat({"--dports 5000:5010,6000"}, ip, 5999).port);
        CHECK_FALSE(match_dnat({"! -d 192.0.2.0/24"}, ip, 1).destination);
        CHECK(match_dnat({"! --dport 22"}, ip, 23).port);
        CHECK_FALSE(match_dnat({"! --dport 22"}, ip, 22).port);
    }
    SUBCASE("what a lookup cannot know stays may-match")
    {
        auto m = match_dnat({"-i eth0", "-m conntrack", "--ctstate NEW"}, ip, 80);
        CHECK(m.destination);
        CHECK(m.port);
        CHECK(m.may_match == std::vector<std::string>{"-i eth0", "-m conntrack", "--ctstate NEW"});
        CHECK(match_dnat({"-d eth0.example"}, ip, 80).may_match.size() == 1); // not an address
    }
    SUBCASE("nftables conditions as parse/nft_rule writes them")
    {
        auto m = match_dnat({"iifname \"eth0\"", "ip daddr 192.0.2.1", "tcp dport 8080"}, ip, 8080);
        CHECK(m.destination);
        CHECK(m.port);
        CHECK(m.dports == PortRange{8080, 8080});
        CHECK(m.may_match == std::vector<std::string>{"iifname \"eth0\""});
        CHECK_FALSE(match_dnat({"ip daddr 203.0.113.7"}, ip, 1).destination);
        CHECK_FALSE(match_dnat({"ip daddr != 192.0.2.0/24"}, ip, 1).destination);
        CHECK(match_dnat({"ip daddr { 203.0.113.7, 192.0.2.0-192.0.2.9 }"}, ip, 1).destination);
        auto set = match_dnat({"udp dport { 5000-5010, 6000 }"}, ip, 6000);
        CHECK(set.port);
        CHECK(set.dports == PortRange{6000, 6000});
        CHECK_FALSE(match_dnat({"th dport { 5000-5010, 6000 }"}, ip, 5999).port);
        CHECK_FALSE(match_dnat({"tcp dport != 22"}, ip, 22).port);
        // A named set is not in the condition: may match.
        CHECK(match_dnat({"tcp dport @forwarded"}, ip, 22).may_match.size() == 1);
        // A DNAT only the host's own packets meet never answers an inbound lookup.
        CHECK_FALSE(match_dnat({std::string(k_nft_not_inbound)}, ip, 22).destination);
    }
}
