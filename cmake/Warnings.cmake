# Warnings as an INTERFACE target linked PRIVATE by our own targets only,
# so dependencies' headers and flags stay untouched.
add_library(natfw_warnings INTERFACE)
target_compile_options(natfw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(NATFW_WERROR)
  target_compile_options(natfw_warnings INTERFACE -Werror)
  # GCC 12 at -O3 (a Release build) flags std::string concatenation in
  # libstdc++'s own code with a false -Wrestrict (GCC bug 105329): shown, not fatal.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(natfw_warnings INTERFACE -Wno-error=restrict)
  endif()
endif()
