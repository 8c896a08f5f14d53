#pragma once
// natfw-trace --user: a user's sessions, each with the NAT periods of its
// address, as text and as JSON.
#include "query/user_sessions.hpp"

#include <string>

namespace natfw {

std::string render_user_text(const UserQuery& query, const std::vector<UserSession>& sessions,
                             std::optional<UnixMicros> forgotten_before = std::nullopt);
/// `{"user", "from", "until", "sessions": [{...session fields..., "periods": [...]}]}` and a newline.
std::string render_user_json(const UserQuery& query, const std::vector<UserSession>& sessions,
                             std::optional<UnixMicros> forgotten_before = std::nullopt);

} // namespace natfw
