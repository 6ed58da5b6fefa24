# The unit tests as CTest entries, one per GoogleTest suite (issue 17).
#
#   ctxbench_test_suites(<target> WORKING_DIRECTORY <dir> [DISCOVERY_TIMEOUT <s>])
#
# Each entry runs `<target> --gtest_filter=<suite>.*`, so `ctest -R <suite>`
# runs a suite, and a failing entry's output (ctest --output-on-failure) ends
# with GoogleTest's list of the failing tests. One process per suite instead
# of one per test (gtest_discover_tests): each start costs ~40-90 ms of CPU,
# ~740 tests against ~180 suites (bench/README.md, "Whole builds").
#
# The entries follow the binary, not the configure: after each link a
# POST_BUILD step lists its tests and rewrites <target>_suites.cmake
# (cmake/test_suites_write.cmake), which CTest includes, so a TEST added to a
# file is run without re-running cmake. Before the first build CTest shows one
# failing entry, <target>_NOT_BUILT.

function(ctxbench_test_suites target)
  cmake_parse_arguments(S "" "WORKING_DIRECTORY;DISCOVERY_TIMEOUT" "" ${ARGN})
  if(NOT S_DISCOVERY_TIMEOUT)
    set(S_DISCOVERY_TIMEOUT 60)
  endif()
  set(tests_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites.cmake)
  set(include_file ${CMAKE_CURRENT_BINARY_DIR}/${target}_suites_include.cmake)
  add_custom_command(TARGET ${target} POST_BUILD
    BYPRODUCTS ${tests_file}
    COMMAND ${CMAKE_COMMAND} -DEXECUTABLE=$<TARGET_FILE:${target}>
            -DWORKING_DIRECTORY=${S_WORKING_DIRECTORY} -DTIMEOUT=${S_DISCOVERY_TIMEOUT}
            -DOUTPUT=${tests_file} -P ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/test_suites_write.cmake
    VERBATIM)
  file(WRITE ${include_file}
    "if(EXISTS \"${tests_file}\")\n"
    "  include(\"${tests_file}\")\n"
    "else()\n"
    "  add_test(${target}_NOT_BUILT ${target}_NOT_BUILT)\n"
    "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${include_file})
endfunction()
