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

/// As natfw-index records it; `legacy`: as an index made before identities were kept (size and time only).
SnapshotMeta indexed(const std::filesystem::path& path, bool legacy = false)
{
    auto st = stat_file(path);
    if (legacy)
        st = FileStat{st.size, st.mtime_ns};
    return SnapshotMeta{7, "gw", 1600000000, path.string(), sha256_hex(read_file(path)), 1, st, ""};
}

constexpr StatTrust k_both[] = {StatTrust::identity, StatTrust::size_and_time};

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
    SUBCASE("an unchanged identity is trusted without reading the file")
    {
        // A wrong recorded hash shows whether the file was read: with its
        // identity unchanged it is not; a legacy row is hashed and disagrees.
        auto wrong = meta;
        wrong.sha256 = sha256_hex("something else");
        for (auto depth : k_both)
            CHECK(check_evidence_file(wrong, depth).empty());
        auto legacy = indexed(path, true);
        legacy.sha256 = wrong.sha256;
        CHECK(check_evidence_file(legacy, StatTrust::identity).find("changed after it was indexed") !=
              std::string::npos);
        CHECK(check_evidence_file(legacy, StatTrust::size_and_time).empty()); // size and time vouch for a legacy row
    }
    SUBCASE("touched but the same content: re-hashed, and the answer says so")
    {
        struct utimbuf old {1000000000, 1000000000};
        REQUIRE(::utime(path.c_str(), &old) == 0);
        for (auto depth : k_both)
            CHECK(check_evidence_file(meta, depth) ==
                  "evidence: " + path.string() +
                      " was re-hashed: its inode, size or times are not those recorded when it was indexed "
                      "(copied, restored or touched); its content is as indexed");
        // A legacy row was always re-hashed by lookups: nothing to say.
        CHECK(check_evidence_file(indexed(path, true), StatTrust::identity).empty());
    }
    SUBCASE("a new inode with the same content and times (copied back with cp -p): re-hashed")
    {
        auto copy = dir.path() / "copy";
        std::filesystem::copy_file(path, copy);
        auto st = stat_file(path);
        struct timespec times[2] = {{st.mtime_ns / 1'000'000'000, st.mtime_ns % 1'000'000'000},
                                    {st.mtime_ns / 1'000'000'000, st.mtime_ns % 1'000'000'000}};
        REQUIRE(::utimensat(AT_FDCWD, copy.c_str(), times, 0) == 0);
        std::filesystem::rename(copy, path);
        CHECK(check_evidence_file(meta, StatTrust::identity).find("was re-hashed") != std::string::npos);
    }
    SUBCASE("changed content: says so with both hashes")
    {
        dir.write("rules.v4.1600000000", "*nat\nCOMMIT\n\n");
        for (auto depth : k_both)
            CHECK(check_evidence_file(meta, depth).find("changed after it was indexed (sha256 now " +
                                                        sha256_hex("*nat\nCOMMIT\n\n") + ", indexed " + meta.sha256 +
                                                        ")") != std::string::npos);
    }
    SUBCASE("same size, modification time put back: the change time gives it away")
    {
        auto legacy = indexed(path, true);
        auto st = stat_file(path);
        dir.write("rules.v4.1600000000", "*NAT\nCOMMIT\n");
        struct timespec times[2] = {{st.mtime_ns / 1'000'000'000, st.mtime_ns % 1'000'000'000},
                                    {st.mtime_ns / 1'000'000'000, st.mtime_ns % 1'000'000'000}};
        REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
        for (auto depth : k_both)
            CHECK(check_evidence_file(meta, depth).find("changed after it was indexed") != std::string::npos);
        CHECK(check_evidence_file(legacy, StatTrust::identity).find("changed after it was indexed") !=
              std::string::npos);
        CHECK(check_evidence_file(legacy, StatTrust::size_and_time).empty()); // the documented limit of legacy rows
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
        EvidenceCheck check(StatTrust::size_and_time);
        CHECK(check.warning(meta).empty());
        std::filesystem::remove(path);
        CHECK(check.warning(meta).empty()); // remembered
        CHECK_FALSE(EvidenceCheck(StatTrust::size_and_time).warning(meta).empty());
    }
}
