#pragma once
// Where audit records go: syslog (authpriv, since answers name users'
// addresses), an append-only file, or nowhere. Never the index, which desk
// users may only read.
#include "present/audit_record.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace natfw {

struct AuditTarget {
    enum class Kind { off, syslog, file } kind = Kind::syslog;
    std::filesystem::path file;
};

/// `off`, `syslog` (in any case), or a file path. Empty: $NATFW_TRACE_AUDIT,
/// else syslog. Throws UsageError for words that mean a keyword (none, no, journal, ...).
AuditTarget parse_audit_target(std::string_view text);

/// Writes one record as one line: to a file with a single O_APPEND write, so
/// records from concurrent desks never interleave; to syslog as
/// "audit {json}". Returns why a record could not be written, if it could not.
std::optional<std::string> write_audit(const AuditTarget& target, const AuditRecord& record);

} // namespace natfw
