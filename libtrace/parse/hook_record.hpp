#pragma once
// The record natfw-session-hook appends to its spool for one connect or
// disconnect the portal reports through its script hook (VPN_* environment).
// It is a journal JSON line (__REALTIME_TIMESTAMP, SYSLOG_IDENTIFIER,
// MESSAGE in the portal's own CONNECT/DISCONNECT form), so that the spool is
// read by the same reader as journal exports; JSON keeps any user id on one line.
#include "parse/connection_event.hpp"

#include <functional>
#include <optional>
#include <string>

namespace natfw {

/// Reads a variable of the hook's environment; nullptr when unset.
using EnvLookup = std::function<const char*(const char*)>;

/// One spool line (with its newline) for the event in the environment, at
/// `now`; nullopt with `problem` set when the environment does not describe one.
std::optional<std::string> hook_record_line(const EnvLookup& env, UnixMicros now, const std::string& host,
                                            std::string& problem);

} // namespace natfw
