#include "query/evidence_check.hpp"
#include "temp_dir.hpp"
#include "util/file.hpp"
#include "util/sha256.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <utime.h>

using namespace natfw;

namespace {

SnapshotMeta indexed(const std::filesystem::path& path)
{
    auto st = stat_file(path);
    return SnapshotMeta{7, "gw", 1600000000, path.string(), sha256_hex(read_file(path)), 1, st.size, st.mtime_ns, ""};
}

constexpr EvidenceDepth k_both[] = {EvidenceDepth::rehash, EvidenceDepth::stat};

} // namespace

TEST_CASE("check_evidence_file")
{
    test::TempDir dir;
    auto path = dir.write("rules.v4.1600000000", "*nat\nCOMMIT\n");
    auto meta = indexed(path);
    SUBCASE("as indexed: no warning")
    {
        for (auto depth : k_both)
            CHECK(check_evidence_file(meta, depth).empty());
    }
    SUBCASE("touched but the same content: no warning")
    {
        struct utimbuf old {1000000000, 1000000000};
        REQUIRE(::utime(path.c_str(), &old) == 0);
        for (auto depth : k_both)
            CHECK(check_evidence_file(meta, depth).empty());
    }
    SUBCASE("changed content: says so with both hashes")
    {
        dir.write("rules.v4.1600000000", "*nat\nCOMMIT\n\n");
        for (auto depth : k_both)
            CHECK(check_evidence_file(meta, depth).find("changed after it was indexed (sha256 now " +
                                                        sha256_hex("*nat\nCOMMIT\n\n") + ", indexed " + meta.sha256 +
                                                        ")") != std::string::npos);
    }
    SUBCASE("same size, modification time put back: a re-hash sees it, a stat check cannot")
    {
        auto st = stat_file(path);
        dir.write("rules.v4.1600000000", "*NAT\nCOMMIT\n");
        struct timespec times[2] = {{st.mtime_ns / 1'000'000'000, st.mtime_ns % 1'000'000'000},
                                    {st.mtime_ns / 1'000'000'000, st.mtime_ns % 1'000'000'000}};
        REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
        CHECK(check_evidence_file(meta, EvidenceDepth::rehash).find("changed after it was indexed") !=
              std::string::npos);
        CHECK(check_evidence_file(meta, EvidenceDepth::stat).empty()); // the documented limit of batches
    }
    SUBCASE("missing")
    {
        std::filesystem::remove(path);
        for (auto depth : k_both)
            CHECK(check_evidence_file(meta, depth) ==
                  "evidence: " + path.string() +
                      " is not there (deleted, rotated, or not visible from this machine); the index keeps its "
                      "rules, sha256 " +
                      meta.sha256);
    }
    SUBCASE("EvidenceCheck checks each snapshot once")
    {
        EvidenceCheck check(EvidenceDepth::stat);
        CHECK(check.warning(meta).empty());
        std::filesystem::remove(path);
        CHECK(check.warning(meta).empty()); // remembered
        CHECK_FALSE(EvidenceCheck(EvidenceDepth::stat).warning(meta).empty());
    }
}
