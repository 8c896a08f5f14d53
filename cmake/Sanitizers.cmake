add_library(natfw_sanitizers INTERFACE)
if(NATFW_SANITIZE)
  set(_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  # libstdc++'s own checks as well: a disengaged std::optional dereferenced or
  # an index past a vector's end reads memory the object owns, which ASan
  # does not see (a batch without sessions once dereferenced one, and
  # crashed only when the memory under it was not zero).
  target_compile_options(natfw_sanitizers INTERFACE ${_san} -D_GLIBCXX_ASSERTIONS)
  target_link_options(natfw_sanitizers INTERFACE ${_san})
endif()
if(NATFW_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "NATFW_FUZZ needs clang++ (libFuzzer): configure with -DCMAKE_CXX_COMPILER=clang++")
  endif()
endif()
