#include "store/indexed_file.hpp"

#include "util/errors.hpp"
#include "util/sha256.hpp"

#include <SQLiteCpp/Column.h>

#include <fmt/format.h>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace natfw {

FileStat file_stat_columns(SQLite::Statement& st, int size, int mtime, int identity)
{
    return {st.getColumn(size).getInt64(), st.getColumn(mtime).getInt64(), st.getColumn(identity).getInt64(),
            st.getColumn(identity + 1).getInt64(), st.getColumn(identity + 2).getInt64()};
}

IndexedFileCheck check_indexed_file(const std::filesystem::path& path, const std::string& sha256,
                                    const FileStat& stat, StatTrust trust)
{
    IndexedFileCheck out;
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) {
        out.state = errno == ENOENT || errno == ENOTDIR ? FileState::missing : FileState::no_stat;
        out.error = std::strerror(errno);
        return out;
    }
    out.stat = file_stat_of(st);
    const bool vouched = trust == StatTrust::identity        ? stat.same_identity(out.stat)
                         : trust == StatTrust::size_and_time ? stat.same_identity(out.stat) ||
                                                                   (!stat.has_identity() && stat.same_size_and_time(out.stat))
                                                             : false;
    if (vouched && S_ISREG(st.st_mode))
        return out;
    try {
        out.sha256 = sha256_hex(read_file(path, {k_max_file_bytes, false}));
    } catch (const FileError& e) {
        out.state = FileState::unreadable;
        out.error = e.what();
        return out;
    }
    if (out.sha256 != sha256)
        out.state = FileState::changed;
    else if (!stat.same_identity(out.stat))
        out.state = FileState::touched;
    return out;
}

} // namespace natfw
