# Warnings as an INTERFACE target linked PRIVATE by our own targets only,
# so dependencies' headers and flags stay untouched.
add_library(natfw_warnings INTERFACE)
target_compile_options(natfw_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Wold-style-cast -Woverloaded-virtual)
if(NATFW_WERROR)
  target_compile_options(natfw_warnings INTERFACE -Werror)
endif()
