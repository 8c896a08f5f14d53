#include "util/file.hpp"

#include "util/errors.hpp"

#include <fmt/format.h>
#include <fmt/std.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace natfw {

std::string read_file(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw FileError(fmt::format("{}: cannot read: {}", path.string(), std::strerror(errno)));
    std::ostringstream content;
    content << in.rdbuf();
    if (in.bad())
        throw FileError(fmt::format("{}: read error", path.string()));
    return std::move(content).str();
}

FileStat stat_file(const std::filesystem::path& path)
{
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw FileError(fmt::format("{}: cannot stat: {}", path.string(), std::strerror(errno)));
    return {static_cast<std::int64_t>(st.st_size),
            static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

} // namespace natfw
