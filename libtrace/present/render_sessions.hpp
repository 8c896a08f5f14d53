#pragma once
// Sessions as text lines and JSON objects: what single lookups, --user and
// batches print of them.
#include "query/answer.hpp"
#include "util/time_format.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace natfw {

/// `{"user", "profile", "connection", "vpn_proto", "ip4", "ip6", "connected_at", "disconnected_at",
/// "originating_ip", "ended_by", "ended_why", "source", "sources"}`.
nlohmann::ordered_json session_json(const SessionRecord& s);

/// `  user:     alice (profile ..., connection ..., openvpn) 10.66.0.2 ... ..` and its evidence lines.
void append_session_text(std::string& out, const SessionRecord& s, std::string_view indent);

/// The text lines of an answer's user part; empty when no session source is indexed.
void append_user_text(std::string& out, const Answer& a);

} // namespace natfw
