# Turns schema/*.sql into a C++ source holding them as string constants, so the
# SQL stays in schema/ yet the binaries need no files at run time.
# Called in script mode: cmake -DOUT=... -DINPUTS=a.sql|b.sql -P EmbedSql.cmake
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(_body "// Generated from schema/*.sql by cmake/EmbedSql.cmake; do not edit.\n#include \"store/schema_sql.hpp\"\n\nnamespace natfw {\n\nconst std::vector<SchemaStep>& schema_steps()\n{\n    static const std::vector<SchemaStep> steps = {\n")
foreach(_in IN LISTS INPUTS)
  get_filename_component(_name "${_in}" NAME_WE)
  string(REGEX MATCH "^[0-9]+" _ver "${_name}")
  # 008 would be an octal literal in C++ (and an invalid one).
  string(REGEX REPLACE "^0+([0-9])" "\\1" _ver "${_ver}")
  file(READ "${_in}" _sql)
  string(APPEND _body "        {${_ver}, \"${_name}\", R\"natfw_sql(${_sql})natfw_sql\"},\n")
endforeach()
string(APPEND _body "    };\n    return steps;\n}\n\n} // namespace natfw\n")
file(WRITE "${OUT}.tmp" "${_body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
