# One static library per module (src/<module>/), with declared dependencies.
#
#   ctxbench_layer(<module> [DEPS <module>...] [LIBS <third-party target>...]
#                  [OWNS <third-party include folder>...])
#     declares ctxbench_<module> (alias ctxbench::<module>) linking the modules
#     it names; declare a module after the modules it uses. OWNS names the
#     third-party headers (`#include <curl/...>` for `curl`) that no other
#     module may include.
#   ctxbench_module(SOURCES <file>... [TESTS <file>...])
#     in src/<module>/ (or a folder below it) adds files to that module's
#     library and to the test binary.
#
# ctxbench_lib (ctxbench::ctxbench) links every module. The build checks that
# no file of a module includes a header of a module it does not depend on,
# directly or through its dependencies, nor a third-party header another
# module OWNS (cmake/check_layers.cmake): either fails the build.

add_library(ctxbench_lib INTERFACE)
add_library(ctxbench::ctxbench ALIAS ctxbench_lib)
set_target_properties(ctxbench_lib PROPERTIES EXPORT_NAME ctxbench)
set(CTXBENCH_LIBRARY_TARGETS ctxbench_lib)

# CTXBENCH_UNITY_BUILD: compile a library's files in batches of `batch`
# (each batch one translation unit, CMake's UNITY_BUILD), so the heavy headers
# are parsed once per batch instead of once per file. File-local helpers
# (anonymous namespace, static) must then have distinct names within a module.
function(ctxbench_unity target batch)
  if(CTXBENCH_UNITY_BUILD)
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE ${batch})
  endif()
endfunction()

function(ctxbench_layer name)
  cmake_parse_arguments(L "" "" "DEPS;LIBS;OWNS" ${ARGN})
  foreach(folder ${L_OWNS})
    set_property(GLOBAL APPEND PROPERTY CTXBENCH_OWNED_HEADERS ${folder})
    set_property(GLOBAL PROPERTY CTXBENCH_HEADERS_OWNER_${folder} ${name})
  endforeach()
  set(allowed ${name})
  set(dep_targets)
  foreach(dep ${L_DEPS})
    if(NOT TARGET ctxbench_${dep})
      message(FATAL_ERROR "ctxbench_layer(${name}): declare module '${dep}' before it")
    endif()
    get_property(dep_allowed GLOBAL PROPERTY CTXBENCH_LAYER_${dep})
    list(APPEND allowed ${dep_allowed})
    list(APPEND dep_targets ctxbench_${dep})
  endforeach()
  list(REMOVE_DUPLICATES allowed)
  set_property(GLOBAL PROPERTY CTXBENCH_LAYER_${name} ${allowed})
  set_property(GLOBAL APPEND PROPERTY CTXBENCH_LAYERS ${name})

  set(t ctxbench_${name})
  add_library(${t} STATIC)
  add_library(ctxbench::${name} ALIAS ${t})
  set_target_properties(${t} PROPERTIES EXPORT_NAME ${name})
  target_include_directories(${t} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src> $<INSTALL_INTERFACE:include/ctxbench>)
  target_link_libraries(${t}
    PUBLIC ${dep_targets} nlohmann_json::nlohmann_json Threads::Threads
    PRIVATE $<BUILD_INTERFACE:ctxbench_warnings> ${L_LIBS})
  target_compile_definitions(${t} PUBLIC CTXBENCH_VERSION="${PROJECT_VERSION}")
  target_link_libraries(ctxbench_lib INTERFACE ${t})
  ctxbench_unity(${t} ${CTXBENCH_UNITY_BATCH})
  if(CTXBENCH_PCH)
    if(name STREQUAL "core")
      target_precompile_headers(${t} PRIVATE ${CTXBENCH_PCH_HEADERS})
    else()
      target_precompile_headers(${t} REUSE_FROM ctxbench_core)
    endif()
  endif()
  set(CTXBENCH_LIBRARY_TARGETS ${CTXBENCH_LIBRARY_TARGETS} ${t} PARENT_SCOPE)
endfunction()

function(ctxbench_module)
  cmake_parse_arguments(M "" "" "SOURCES;TESTS" ${ARGN})
  file(RELATIVE_PATH rel ${PROJECT_SOURCE_DIR}/src ${CMAKE_CURRENT_SOURCE_DIR})
  string(REGEX REPLACE "/.*" "" name "${rel}")
  if(NOT TARGET ctxbench_${name})
    message(FATAL_ERROR "src/${rel}: module '${name}' has no layer; add "
      "ctxbench_layer(${name} DEPS <modules it uses>) to the top CMakeLists.txt")
  endif()
  list(TRANSFORM M_SOURCES PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
  target_sources(ctxbench_${name} PRIVATE ${M_SOURCES})
  if(CTXBENCH_BUILD_TESTS AND M_TESTS)
    list(TRANSFORM M_TESTS PREPEND ${CMAKE_CURRENT_SOURCE_DIR}/)
    target_sources(ctxbench_tests PRIVATE ${M_TESTS})
    ctxbench_unity_tests(${name} ${M_TESTS})
  endif()
endfunction()

# CTXBENCH_UNITY_BUILD for the tests: ctxbench_tests is one target holding
# every module's test files, so its batches are made per module (CMake's
# UNITY_BUILD_MODE GROUP, groups <module>_<n> of CTXBENCH_UNITY_BATCH_TESTS
# files in the order the module lists them; 0, the default: one group
# <module>_0 holding all its test files): a batch never mixes two modules,
# and a file added to one module moves no other module's batches. As in the
# libraries, two test files of one module must not define file-local helpers
# of the same name.
function(ctxbench_unity_tests module)
  if(NOT CTXBENCH_UNITY_BUILD)
    return()
  endif()
  get_property(count GLOBAL PROPERTY CTXBENCH_TEST_FILES_${module})
  if(NOT count)
    set(count 0)
  endif()
  foreach(file ${ARGN})
    if(CTXBENCH_UNITY_BATCH_TESTS GREATER 0)
      math(EXPR group "${count} / ${CTXBENCH_UNITY_BATCH_TESTS}")
    else()
      set(group 0)
    endif()
    set_source_files_properties(${file} TARGET_DIRECTORY ctxbench_tests
      PROPERTIES UNITY_GROUP ${module}_${group})
    math(EXPR count "${count} + 1")
  endforeach()
  set_property(GLOBAL PROPERTY CTXBENCH_TEST_FILES_${module} ${count})
endfunction()

# After every module: a build step that fails on an include outside a module's
# layers or of a third-party header another module owns (test files and
# fakes, fake_*, may include anything).
function(ctxbench_check_layers)
  get_property(layers GLOBAL PROPERTY CTXBENCH_LAYERS)
  get_property(owned GLOBAL PROPERTY CTXBENCH_OWNED_HEADERS)
  set(table "set(OWNED_HEADERS ${owned})\n")
  foreach(folder ${owned})
    get_property(owner GLOBAL PROPERTY CTXBENCH_HEADERS_OWNER_${folder})
    string(APPEND table "set(OWNER_${folder} ${owner})\n")
  endforeach()
  set(files)
  foreach(name ${layers})
    get_property(allowed GLOBAL PROPERTY CTXBENCH_LAYER_${name})
    string(APPEND table "set(LAYER_${name} ${allowed})\n")
    file(GLOB_RECURSE module_files ${PROJECT_SOURCE_DIR}/src/${name}/*.h
      ${PROJECT_SOURCE_DIR}/src/${name}/*.cc)
    list(APPEND files ${module_files})
  endforeach()
  set(table_file ${PROJECT_BINARY_DIR}/ctxbench_layers.cmake)
  file(WRITE ${table_file} "set(LAYERS ${layers})\n${table}")
  set(stamp ${PROJECT_BINARY_DIR}/ctxbench_layers.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DSRC=${PROJECT_SOURCE_DIR}/src -DTABLE=${table_file}
      -DSTAMP=${stamp} -P ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake
    DEPENDS ${files} ${table_file} ${PROJECT_SOURCE_DIR}/cmake/check_layers.cmake
    COMMENT "Checking that each module includes only the modules it depends on")
  add_custom_target(ctxbench_layers_check DEPENDS ${stamp})
  foreach(name ${layers})
    add_dependencies(ctxbench_${name} ctxbench_layers_check)
  endforeach()
endfunction()
