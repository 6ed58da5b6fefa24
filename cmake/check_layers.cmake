# cmake -DSRC=<src folder> -DTABLE=<layer table> [-DSTAMP=<file>] -P check_layers.cmake
# Fails, naming each file and include, when a module's file includes a header
# of a module outside its layers. TABLE sets LAYERS (the module names) and
# LAYER_<module> (the module and everything it depends on, transitively).
# Test files (*_test.*) and fakes (fake_*) are not checked.
cmake_minimum_required(VERSION 3.25)
include(${TABLE})
set(problems "")
foreach(module ${LAYERS})
  file(GLOB_RECURSE files RELATIVE ${SRC} ${SRC}/${module}/*.h ${SRC}/${module}/*.cc)
  foreach(f ${files})
    get_filename_component(base ${f} NAME)
    if(base MATCHES "_test\\.(cc|h)$" OR base MATCHES "^fake_")
      continue()
    endif()
    file(STRINGS ${SRC}/${f} includes REGEX "^#include \"[a-z_0-9]+/")
    foreach(line ${includes})
      string(REGEX REPLACE "^#include \"([a-z_0-9]+)/.*" "\\1" used "${line}")
      if(IS_DIRECTORY ${SRC}/${used} AND NOT used IN_LIST LAYER_${module})
        string(APPEND problems "\n  src/${f}: ${line} (module '${module}' may use: "
          "${LAYER_${module}})")
      endif()
    endforeach()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "Upward include (declare the dependency with ctxbench_layer() in "
    "CMakeLists.txt if it is intended):${problems}")
endif()
if(STAMP)
  file(TOUCH ${STAMP})
endif()
