#include "present/audit_record.hpp"

#include "present/render_sessions.hpp"
#include "util/time_format.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

namespace natfw {

namespace {

std::string login_name(uid_t uid)
{
    struct passwd pw {};
    struct passwd* found = nullptr;
    char buf[4096];
    if (::getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found)
        return found->pw_name;
    return std::to_string(uid);
}

} // namespace

AuditRecord audit_record(std::string_view kind)
{
    AuditRecord r;
    r["time"] = format_iso_utc(static_cast<UnixSeconds>(std::time(nullptr)));
    uid_t uid = ::getuid();
    r["user"] = login_name(uid);
    r["uid"] = uid;
    // SUDO_USER is only an environment variable: anyone can set it. It is
    // recorded as who ran sudo only when sudo could have set it (the real uid
    // is root) and SUDO_UID names the same account; otherwise it is kept as
    // a claim, never as the user.
    if (const char* sudo = std::getenv("SUDO_USER"); sudo && *sudo) {
        const char* sudo_uid = std::getenv("SUDO_UID");
        struct passwd pw {}, *found = nullptr;
        char buf[4096];
        bool confirmed = uid == 0 && sudo_uid && ::getpwnam_r(sudo, &pw, buf, sizeof buf, &found) == 0 && found &&
                         std::to_string(found->pw_uid) == sudo_uid;
        r[confirmed ? "sudo_user" : "sudo_user_claimed"] = sudo;
    }
    r["pid"] = ::getpid();
    r["kind"] = kind;
    return r;
}

AuditRecord audit_lookup(const std::vector<std::string>& args, const Query& q, const Answer& a)
{
    AuditRecord r = audit_record("lookup");
    r["args"] = args;
    AuditRecord instants = AuditRecord::array();
    for (auto t : q.instants)
        instants.push_back(format_iso_utc(t));
    r["query"] = {{"instants", instants},
                  {"ip", query_address(q)},
                  {"port", q.port},
                  {"proto", q.proto.empty() ? "tcp/udp" : q.proto},
                  {"node", q.node}};
    if (q.inbound)
        r["query"]["direction"] = "inbound";
    r["status"] = status_name(a.status);
    AuditRecord candidates = AuditRecord::array();
    for (const auto& c : a.candidates)
        candidates.push_back({{"internal", c.internal},
                              {"snapshot", c.snapshot ? AuditRecord(c.snapshot->path) : AuditRecord(nullptr)},
                              {"line", c.line}});
    r["candidates"] = candidates;
    // "user" is the analyst (above); the VPN user the answer names is "vpn_user".
    if (a.users) {
        r["vpn_user_status"] = user_status_name(a.users->status);
        r["vpn_user"] = a.users->user ? AuditRecord(*a.users->user) : AuditRecord(nullptr);
        if (a.users->status == UserStatus::ambiguous)
            r["vpn_users"] = a.users->users;
    }
    r["warnings"] = a.warnings.size();
    return r;
}

AuditRecord audit_failed_lookup(const std::vector<std::string>& args, std::string_view message)
{
    AuditRecord r = audit_record("lookup");
    r["args"] = args;
    r["status"] = "error";
    r["message"] = message;
    return r;
}

AuditRecord audit_user(const std::vector<std::string>& args, const UserQuery& q, std::size_t sessions)
{
    AuditRecord r = audit_record("user");
    r["args"] = args;
    r["query"] = {{"vpn_user", q.user},
                  {"from", q.from ? AuditRecord(format_iso_micros(*q.from)) : AuditRecord(nullptr)},
                  {"until", q.until ? AuditRecord(format_iso_micros(*q.until)) : AuditRecord(nullptr)},
                  {"node", q.node}};
    r["status"] = sessions ? "found" : "none";
    r["sessions"] = sessions;
    return r;
}

AuditRecord audit_batch(const std::vector<std::string>& args, std::string_view input, std::string_view output,
                        const BatchSummary& s)
{
    AuditRecord r = audit_record("batch");
    r["args"] = args;
    r["input"] = input;
    r["output"] = output;
    r["rows"] = s.rows;
    r["unique"] = s.unique;
    r["none"] = s.none;
    r["ambiguous"] = s.ambiguous;
    r["error"] = s.error;
    return r;
}

AuditRecord audit_forward(const std::vector<std::string>& args, const ForwardQuery& q, std::size_t periods)
{
    AuditRecord r = audit_record("internal");
    r["args"] = args;
    r["query"] = {{"internal", q.address_text()},
                  {"from", q.from ? AuditRecord(format_iso_utc(*q.from)) : AuditRecord(nullptr)},
                  {"until", q.until ? AuditRecord(format_iso_utc(*q.until)) : AuditRecord(nullptr)},
                  {"node", q.node}};
    r["status"] = periods ? "found" : "none";
    r["periods"] = periods;
    return r;
}

} // namespace natfw
