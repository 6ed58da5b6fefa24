# cmake -DSRC=<src folder> -DTABLE=<layer table> [-DSTAMP=<file>] -P check_layers.cmake
# Fails, naming each file and include, when a module's file includes a header
# of a module outside its layers, or a third-party header another module owns
# (`#include <curl/...>` outside http). TABLE sets LAYERS (the module names),
# LAYER_<module> (the module and everything it depends on, transitively),
# OWNED_HEADERS (third-party include folders) and OWNER_<folder> (the one
# module that may include them). Test files (*_test.*) and fakes (fake_*) are
# not checked.
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
    file(STRINGS ${SRC}/${f} includes REGEX "^#include <[a-z_0-9]+/")
    foreach(line ${includes})
      string(REGEX REPLACE "^#include <([a-z_0-9]+)/.*" "\\1" folder "${line}")
      if(folder IN_LIST OWNED_HEADERS AND NOT module STREQUAL "${OWNER_${folder}}")
        string(APPEND problems "\n  src/${f}: ${line} (only module '${OWNER_${folder}}' may "
          "include <${folder}/...>)")
      endif()
    endforeach()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "Include outside the module's layers (declare the dependency with "
    "ctxbench_layer() in CMakeLists.txt if it is intended; a third-party header another "
    "module OWNS goes through that module):${problems}")
endif()
if(STAMP)
  file(TOUCH ${STAMP})
endif()
