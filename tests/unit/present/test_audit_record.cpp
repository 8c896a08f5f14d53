#include "present/audit_log.hpp"
#include "present/audit_record.hpp"
#include "util/errors.hpp"

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>
#include <unistd.h>

using namespace natfw;

namespace {

/// Sets SUDO_USER and SUDO_UID for one record, then removes them.
AuditRecord with_sudo(const char* user, const std::string& uid)
{
    ::setenv("SUDO_USER", user, 1);
    ::setenv("SUDO_UID", uid.c_str(), 1);
    AuditRecord r = audit_record("lookup");
    ::unsetenv("SUDO_USER");
    ::unsetenv("SUDO_UID");
    return r;
}

} // namespace

TEST_CASE("audit_record: SUDO_USER is believed only where sudo could have set it")
{
    CHECK_FALSE(audit_record("lookup").contains("sudo_user"));
    // A wrong SUDO_UID for the name: never the user, whoever runs the test.
    auto forged = with_sudo("root", "4242");
    CHECK_FALSE(forged.contains("sudo_user"));
    CHECK(forged["sudo_user_claimed"] == "root");
    auto consistent = with_sudo("root", "0");
    if (::getuid() == 0) {
        CHECK(consistent["sudo_user"] == "root"); // as sudo leaves it for root's own sudo
    } else {
        CHECK_FALSE(consistent.contains("sudo_user")); // a user's own environment proves nothing
        CHECK(consistent["sudo_user_claimed"] == "root");
    }
}

TEST_CASE("parse_audit_target: off and syslog in any case; keyword-like words are not taken for file names")
{
    CHECK(parse_audit_target("off").kind == AuditTarget::Kind::off);
    CHECK(parse_audit_target("OFF").kind == AuditTarget::Kind::off);
    CHECK(parse_audit_target("Off").kind == AuditTarget::Kind::off);
    CHECK(parse_audit_target("SysLog").kind == AuditTarget::Kind::syslog);
    auto file = parse_audit_target("/var/log/natfw-trace/audit.log");
    CHECK(file.kind == AuditTarget::Kind::file);
    CHECK(file.file == "/var/log/natfw-trace/audit.log");
    CHECK(parse_audit_target("./none").kind == AuditTarget::Kind::file);
    CHECK_THROWS_WITH_AS(parse_audit_target("none"),
                         "--audit \"none\" looks like a keyword, not a file: give off, syslog, or a path (./none if "
                         "a file of that name is meant)",
                         UsageError);
    for (const char* word : {"No", "false", "0", "disabled", "journal", "-", "on", "YES", "enabled"})
        CHECK_THROWS_AS(parse_audit_target(word), UsageError);
    for (const char* typo : {"Of", "of", "offf", "oof", "fof", "sylog", "syslgo", "SYSLOGG", "slog"})
        CHECK_THROWS_AS(parse_audit_target(typo), UsageError);
    for (const char* name : {"audit", "trail", "of.log", "./of", "sys/log"})
        CHECK(parse_audit_target(name).kind == AuditTarget::Kind::file);
}
