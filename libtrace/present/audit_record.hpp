#pragma once
// What the audit trail keeps of a lookup or a batch: who asked what, when,
// and what natfw-trace answered. One JSON object per record.
#include "query/answer.hpp"
#include "batch/batch.hpp"
#include "query/forward_lookup.hpp"
#include "query/user_sessions.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace natfw {

using AuditRecord = nlohmann::ordered_json;

/// `time` (now, UTC), `user` (the login name of the real uid), `uid`,
/// `sudo_user` when run through sudo, `pid`, `kind`.
AuditRecord audit_record(std::string_view kind);

/// A single lookup: the command line as typed (`args`, without the program),
/// the query as read, the status and candidates.
AuditRecord audit_lookup(const std::vector<std::string>& args, const Query& query, const Answer& answer);

/// A lookup that ended in an error (bad input, no index): what was typed and the message.
AuditRecord audit_failed_lookup(const std::vector<std::string>& args, std::string_view message);

/// A forward lookup (--internal): the address, window and how many periods.
AuditRecord audit_forward(const std::vector<std::string>& args, const ForwardQuery& query, std::size_t periods);

/// A batch, as one summary record: input and output names and the counts per status.
/// natfw-trace --user: whose sessions were listed, and how many.
AuditRecord audit_user(const std::vector<std::string>& args, const UserQuery& query, std::size_t sessions);

AuditRecord audit_batch(const std::vector<std::string>& args, std::string_view input, std::string_view output, const BatchSummary& summary);

} // namespace natfw
