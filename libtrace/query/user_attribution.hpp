#pragma once
// From candidate addresses to users: every candidate gets the sessions that
// held its address(es) at the instant (or in the window), and the answer a
// user status (CONTRACT, "Who was it"). The address status is not touched.
#include "query/answer.hpp"
#include "query/session_history.hpp"

namespace natfw {

/// Sessions that changed hands this close to the instant earn a warning, as ruleset changes do.
inline constexpr UnixSeconds k_session_change_window = 300;

void attribute_users(SessionHistory& sessions, const Query& query, Answer& answer);

} // namespace natfw
