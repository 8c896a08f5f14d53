// Batches keep only the rulesets they are using: packs past the budget are let
// go, one still held stays valid and is taken back, and rows jumping about in
// time grow the budget instead of reloading packs row after row.
#include "index_fixture.hpp"
#include "query/packed_history.hpp"
#include "query/sql_history.hpp"

#include <doctest/doctest.h>

#include <random>

using namespace natfw;
using test::IndexFixture;

namespace {

constexpr int k_rulesets = 6;
constexpr UnixSeconds k_t0 = 1608940000;

/// Snapshot k maps 10.0.0.2 to a port block of its own (so every snapshot is
/// a ruleset of its own), with a partially reached rule whose hits point into
/// the pack (`excluded`).
std::string ruleset(int k)
{
    const int lo = 1024 + 1000 * k;
    return "*nat\n:POSTROUTING ACCEPT [0:0]\n"
           "-A POSTROUTING -s 10.0.0.2 -p tcp -j SNAT --to-source 192.0.2.1:" +
           std::to_string(lo) + "-" + std::to_string(lo + 999) +
           "\n"
           "-A POSTROUTING -s 10.0.0.0/30 -p tcp -j SNAT --to-source 192.0.2.1:60000-60999\n"
           "COMMIT\n";
}

void index_history(IndexFixture& f)
{
    for (int k = 0; k < k_rulesets; ++k)
        f.snapshot("vpn", k_t0 + 3600 * k, ruleset(k));
    f.index({"vpn"});
    REQUIRE(f.count("SELECT count(DISTINCT ruleset_id) FROM snapshot") == k_rulesets);
}

std::vector<std::string> described(const std::vector<RuleHit>& hits)
{
    std::vector<std::string> out;
    for (const auto& h : hits)
        out.push_back(h.source.describe() + " except " + std::string(h.excluded) + " line " + std::to_string(h.line));
    return out;
}

} // namespace

TEST_CASE("PackedHistory lets go of packs past its budget")
{
    IndexFixture f;
    index_history(f);
    PackedHistory packed(f.db(), 1); // every pack is over budget but the one just loaded

    auto first = packed.acquire(1);
    const auto one_pack = packed.pack_bytes_loaded();
    CHECK(one_pack > 0);
    auto second = packed.acquire(2);
    CHECK(packed.pack_bytes_loaded() == pack_bytes(*second)); // the first was let go
    std::vector<RuleHit> hits;
    pack_hits(*first, k_proto_tcp, 0xC0000201, 1500, hits); // still valid: this test holds it
    CHECK(hits.size() == 1);
    CHECK(packed.acquire(1) == first); // taken back, not decoded again
    first.reset();
    second.reset();
    CHECK(packed.pack_bytes_peak() <= 2 * one_pack + 4096);
}

TEST_CASE("PackedHistory grows its budget when rows jump about in time, and answers as SQL does")
{
    IndexFixture f;
    index_history(f);
    PackedHistory packed(f.db(), 1);
    SqlHistory sql(f.db());
    auto view = packed.for_worker();
    REQUIRE(view);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> pick(1, k_rulesets), port(1024, 61999);
    for (int i = 0; i < 2000; ++i) {
        const auto ruleset = pick(rng);
        const auto p = static_cast<std::uint16_t>(port(rng));
        std::vector<RuleHit> a, b;
        view->hits(ruleset, k_proto_tcp, 0xC0000201, p, a);
        sql.hits(ruleset, k_proto_tcp, 0xC0000201, p, b);
        REQUIRE(described(a) == described(b));
        CHECK(view->maps_address(ruleset, k_proto_tcp, 0xC0000201) == sql.maps_address(ruleset, k_proto_tcp, 0xC0000201));
    }
    // Random order: the budget grew until every pack stays.
    std::size_t all = 0;
    for (int r = 1; r <= k_rulesets; ++r)
        all += pack_bytes(*packed.acquire(r));
    CHECK(packed.pack_bytes_loaded() == all);
}

TEST_CASE("PackedHistory in time order keeps a few packs, however long the history")
{
    IndexFixture f;
    index_history(f);
    PackedHistory packed(f.db(), 1);
    auto view = packed.for_worker();
    std::size_t one = 0;
    for (int r = 1; r <= k_rulesets; ++r) {
        std::vector<RuleHit> hits;
        for (int row = 0; row < 100; ++row) // a time-ordered batch's rows of this ruleset
            view->hits(r, k_proto_tcp, 0xC0000201, 1500, hits);
        one = std::max(one, pack_bytes(*packed.acquire(r)));
        CHECK(packed.pack_bytes_loaded() <= one); // only the one in use
    }
}
