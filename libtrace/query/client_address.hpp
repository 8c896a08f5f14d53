#pragma once
// A complaint that names a VPN client's own address (an IPv6 address from a
// routed prefix, a public IPv4 pool without NAT): no ruleset is involved,
// the sessions alone say whose it was.
#include "query/answer.hpp"
#include "query/history.hpp"
#include "query/session_history.hpp"

namespace natfw {

/// `unique` with the address itself as the candidate when a session held it
/// at the instant (or in the window), else `none`. The user part is left to
/// attribute_users.
Answer answer_client_address(SessionHistory& sessions, const Query& query);

/// The `none` answer for a client's address when no session source is indexed.
Answer client_address_without_sessions(const Query& query);

/// Whether an IPv4 lookup that found no NAT candidate should be answered as
/// a client's own address instead: some session held the address then.
bool held_by_a_client(SessionHistory& sessions, const Query& query);

/// What single lookups and batches do after the tracer: a client query is
/// answered from the sessions, and so is an outbound IPv4 lookup that found
/// no NAT candidate for an address a session held (then `query.client` is set).
/// A query without a port whose IPv4 address no session held but source NAT
/// rules in force translate to throws UsageError naming the snapshot: every
/// client behind that address is a candidate, so `none` would be wrong.
void answer_client_if_held(SessionHistory& sessions, History& history, Query& query, Answer& answer);

} // namespace natfw
