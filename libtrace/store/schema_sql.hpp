#pragma once
#include <string>
#include <vector>

namespace natfw {

/// One forward-only migration from schema/NNN_name.sql; applying it moves
/// `PRAGMA user_version` to `version`.
struct SchemaStep {
    int version;
    const char* name;
    const char* sql;
};

/// The steps in version order (generated from schema/ at build time).
const std::vector<SchemaStep>& schema_steps();

} // namespace natfw
