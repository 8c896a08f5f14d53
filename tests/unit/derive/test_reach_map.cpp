#include "derive/reach_map.hpp"
#include "parse/ruleset.hpp"

#include <doctest/doctest.h>

#include <map>
#include <random>
#include <stdexcept>

using namespace natfw;

TEST_CASE("ReachMap: iterates in (position, protocol) order whatever order entries were made in")
{
    ReachMap m;
    m[{7, k_proto_udp}].taken_by = {1};
    m[{2, k_proto_tcp}].taken_by = {2};
    m[{7, k_proto_tcp}].taken_by = {3};
    m[{0, k_proto_udp}].taken_by = {4};
    m[{2, k_proto_tcp}].taken_by.push_back(5); // the same entry again, not a new one
    std::vector<std::pair<int, int>> keys;
    std::vector<std::vector<int>> taken;
    for (const auto& [key, rr] : m) {
        keys.push_back(key);
        taken.push_back(rr.taken_by);
    }
    CHECK(keys == std::vector<std::pair<int, int>>{{0, 17}, {2, 6}, {7, 6}, {7, 17}});
    CHECK(taken == std::vector<std::vector<int>>{{4}, {2, 5}, {3}, {1}});
    CHECK(m.size() == 4);
}

TEST_CASE("ReachMap: find, at and contains tell a missing entry from a present one")
{
    ReachMap m;
    CHECK(m.empty());
    CHECK(m.find({0, k_proto_tcp}) == m.end());
    m[{3, k_proto_tcp}].written.add({1, 1});
    CHECK(m.contains({3, k_proto_tcp}));
    CHECK_FALSE(m.contains({3, k_proto_udp}));
    CHECK_FALSE(m.contains({2, k_proto_tcp}));
    CHECK_FALSE(m.contains({1000, k_proto_tcp})); // past every slot
    CHECK_FALSE(m.contains({-1, k_proto_tcp}));
    CHECK_FALSE(m.contains({3, 1})); // ICMP has no entries
    CHECK(m.at({3, k_proto_tcp}).written.describe() == "0.0.0.1");
    CHECK_THROWS_AS(m.at({3, k_proto_udp}), std::out_of_range);
    CHECK(m.find({3, k_proto_tcp})->first == std::pair{3, k_proto_tcp});
    const ReachMap::Key negative{-1, k_proto_tcp}, icmp{1, 1};
    CHECK_THROWS_AS(m[negative], std::invalid_argument);
    CHECK_THROWS_AS(m[icmp], std::invalid_argument);
    m.clear();
    CHECK(m.empty());
    CHECK(m.begin() == m.end());
}

TEST_CASE("ReachMap: agrees with a std::map under random inserts")
{
    std::mt19937 rng(14);
    ReachMap flat;
    std::map<std::pair<int, int>, int> model;
    for (int i = 0; i < 5000; ++i) {
        std::pair<int, int> key{static_cast<int>(rng() % 3000), rng() % 2 ? k_proto_tcp : k_proto_udp};
        flat[key].taken_by.push_back(i);
        model[key] = i; // the last writer per key
    }
    REQUIRE(flat.size() == model.size());
    auto it = flat.begin();
    for (const auto& [key, last] : model) {
        REQUIRE(it != flat.end());
        CHECK(it->first == key);
        CHECK(it->second.taken_by.back() == last);
        CHECK(flat.find(key) == it);
        ++it;
    }
    CHECK(it == flat.end());
}
