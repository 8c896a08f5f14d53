# Debian's libabsl-dev ships every Abseil library twice, shared and static,
# but its CMake package only names the shared ones. The flat hash maps need
# five of them, and loading five more shared objects cost every process
# 0.6 ms of start-up (perf stat over natfw-index --version, which takes about
# 8 ms). Pointing the imported targets at the static archives beside them
# links the few kilobytes actually used.
function(natfw_link_abseil_statically)
  set(_todo ${ARGN})
  set(_seen)
  while(_todo)
    list(POP_FRONT _todo _target)
    if(NOT TARGET ${_target} OR _target IN_LIST _seen)
      continue()
    endif()
    list(APPEND _seen ${_target})
    get_target_property(_deps ${_target} INTERFACE_LINK_LIBRARIES)
    if(_deps)
      foreach(_dep IN LISTS _deps)
        if(_dep MATCHES "^absl::")
          list(APPEND _todo ${_dep})
        endif()
      endforeach()
    endif()
    get_target_property(_type ${_target} TYPE)
    if(NOT _type STREQUAL "SHARED_LIBRARY")
      continue()
    endif()
    get_target_property(_configs ${_target} IMPORTED_CONFIGURATIONS)
    foreach(_config IN LISTS _configs)
      get_target_property(_shared ${_target} IMPORTED_LOCATION_${_config})
      string(REGEX REPLACE "\\.so[.0-9]*$" ".a" _static "${_shared}")
      if(NOT EXISTS "${_static}")
        message(FATAL_ERROR "${_target}: no static archive ${_static} beside ${_shared}")
      endif()
      # An imported target's type cannot change, so it stays a shared
      # library; with an archive as its location and no soname, CMake puts
      # the archive's path on the link line, and the linker takes it as one.
      set_target_properties(${_target} PROPERTIES IMPORTED_LOCATION_${_config} "${_static}"
                                                  IMPORTED_SONAME_${_config} "")
    endforeach()
  endwhile()
endfunction()
