#include "store/indexed_file.hpp"
#include "temp_dir.hpp"
#include "util/sha256.hpp"

#include <doctest/doctest.h>

#include <filesystem>

using namespace natfw;

TEST_CASE("check_indexed_file")
{
    test::TempDir dir;
    auto path = dir.write("rules.v4.1600000000", "*nat\nCOMMIT\n");
    const std::string sha = sha256_hex("*nat\nCOMMIT\n");
    const FileStat stat = stat_file(path);

    SUBCASE("unchanged, with or without trusting the stat")
    {
        CHECK(check_indexed_file(path, sha, stat, StatTrust::identity).state == FileState::unchanged);
        CHECK(check_indexed_file(path, sha, stat, StatTrust::size_and_time).state == FileState::unchanged);
        auto hashed = check_indexed_file(path, sha, stat, StatTrust::none);
        CHECK(hashed.state == FileState::unchanged);
        CHECK(hashed.sha256 == sha);
    }
    SUBCASE("touched: a new modification time, the same content")
    {
        std::filesystem::last_write_time(path, std::filesystem::last_write_time(path) + std::chrono::seconds(5));
        auto check = check_indexed_file(path, sha, stat, StatTrust::identity);
        CHECK(check.state == FileState::touched);
        CHECK_FALSE(check.stat.same_identity(stat));
        CHECK(check.stat.has_identity());
    }
    SUBCASE("changed content is seen when the stat changed or is not trusted")
    {
        dir.write("rules.v4.1600000000", "*nat\nCOMMIT\n\n");
        auto check = check_indexed_file(path, sha, stat, StatTrust::identity);
        CHECK(check.state == FileState::changed);
        CHECK(check.sha256 == sha256_hex("*nat\nCOMMIT\n\n"));
    }
    SUBCASE("a same-size rewrite with the old time: its change time moved, so it is hashed and caught")
    {
        auto when = std::filesystem::last_write_time(path);
        dir.write("rules.v4.1600000000", "*nat\nCOMMIX\n");
        std::filesystem::last_write_time(path, when);
        CHECK(check_indexed_file(path, sha, stat, StatTrust::identity).state == FileState::changed);
        CHECK(check_indexed_file(path, sha, stat, StatTrust::size_and_time).state == FileState::changed);
        // A row without a recorded identity (an index from before schema 10)
        // is only as good as its size and time under size_and_time.
        const FileStat legacy{stat.size, stat.mtime_ns};
        CHECK(check_indexed_file(path, sha, legacy, StatTrust::size_and_time).state == FileState::unchanged);
        CHECK(check_indexed_file(path, sha, legacy, StatTrust::identity).state == FileState::changed);
    }
    SUBCASE("a legacy row with the same content is hashed and touched: natfw-index then records its identity")
    {
        const FileStat legacy{stat.size, stat.mtime_ns};
        auto check = check_indexed_file(path, sha, legacy, StatTrust::identity);
        CHECK(check.state == FileState::touched);
        CHECK(check.stat.same_identity(stat));
    }
    SUBCASE("missing")
    {
        std::filesystem::remove(path);
        CHECK(check_indexed_file(path, sha, stat, StatTrust::identity).state == FileState::missing);
        CHECK(check_indexed_file(dir.path() / "no-dir" / "x", sha, stat, StatTrust::none).state ==
              FileState::missing);
    }
}
