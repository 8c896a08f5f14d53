#pragma once
// File-system steps that a reader (iptables at boot, natfw-index, a person
// with less) can never see half done.
#include <filesystem>
#include <string_view>

namespace natfw {

/// Creates `path` holding `content`, never replacing an existing file: the
/// content is written and flushed under a temporary name in the same
/// directory, then linked into place. Mode 0666 less the umask. Throws
/// FileError (naming `path`; "File exists" when it does).
void create_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Replaces (or creates) `path` with `content` in one rename(2): a reader sees
/// the old file or the new one, never part of either. Throws FileError.
void replace_file_atomically(const std::filesystem::path& path, std::string_view content);

/// Renames `from` to `to` unless `to` exists. Throws FileError.
void rename_no_replace(const std::filesystem::path& from, const std::filesystem::path& to);

/// Points the symlink `link` at `target` in one rename(2), so a reader sees
/// the old target or the new one, never no link. Throws FileError.
void replace_symlink(const std::filesystem::path& link, const std::filesystem::path& target);

/// Flushes a directory's entries (after creating, renaming or removing in it).
void sync_directory(const std::filesystem::path& dir);

} // namespace natfw
