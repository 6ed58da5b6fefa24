# The CTest file of a GoogleTest binary's suites: one entry per suite, which
# runs the binary with --gtest_filter=<suite>.* (issue 17; cmake/test_suites.cmake).
#
# Script mode, the POST_BUILD step of ctxbench_test_suites():
#   cmake -DEXECUTABLE=<test binary> -DWORKING_DIRECTORY=<dir> -DTIMEOUT=<s>
#         -DOUTPUT=<ctest file> -P test_suites_write.cmake
#   runs `<test binary> --gtest_list_tests` and writes OUTPUT; fails (naming
#   the binary and its output) when the listing fails or lists no suite.
# Included (tests/test_suites/check.cmake): defines the functions only.
cmake_minimum_required(VERSION 3.25)

# The output of a suite entry whose every test called GTEST_SKIP: no test
# passed, the skipped ones are listed and nothing follows but the disabled
# tests' count. A failure prints its list after the skipped one, so this does
# not match it (CTest's SKIP_REGULAR_EXPRESSION wins over the exit code).
# Quoted as it appears in a CMake file (`\n` a newline), for the written file.
set(CTXBENCH_ALL_SKIPPED_QUOTED
  [=["\\[  PASSED  \\] 0 tests\\.\n\\[  SKIPPED \\] [0-9]+ tests?, listed below:\n(\\[  SKIPPED \\] [^\n]*\n)*(\n  YOU HAVE [0-9]+ DISABLED TESTS?\n)?\n*$"]=])

# Sets `out_var` to the text of the CTest file for `listing` (the output of
# --gtest_list_tests): per suite an add_test running `executable` in
# `working_dir` on that suite alone, SKIP_REGULAR_EXPRESSION for a suite all
# skipped, and DISABLED for a suite all of whose tests are DISABLED_ (the
# binary skips a DISABLED_ test within a suite by itself). Suite names keep
# their `/` (typed and value-parameterized suites: `Prefix/Suite`, `Suite/0`).
# Sets `count_var` to the number of suites.
function(ctxbench_suite_tests listing executable working_dir out_var count_var)
  # The `# TypeParam = ...` / `# GetParam() = ...` comments may hold any
  # character; names hold only these.
  string(REGEX REPLACE "  #[^\n]*" "" listing "${listing}")
  string(REGEX REPLACE "[^A-Za-z0-9_/.\n ]" "" listing "${listing}")
  string(REPLACE "\n" ";" lines "${listing}")
  set(text "set(ctxbench_all_skipped ${CTXBENCH_ALL_SKIPPED_QUOTED})\n")
  set(suites "")
  set(suite "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^([A-Za-z0-9_/]+)\\.$")
      set(suite "${CMAKE_MATCH_1}")
      list(APPEND suites "${suite}")
      set(tests_${suite} 0)
      set(disabled_${suite} 0)
    elseif(suite AND line MATCHES "^  ([A-Za-z0-9_/]+)$")
      set(test "${CMAKE_MATCH_1}")
      math(EXPR tests_${suite} "${tests_${suite}} + 1")
      if(suite MATCHES "(^|/)DISABLED_" OR test MATCHES "^DISABLED_")
        math(EXPR disabled_${suite} "${disabled_${suite}} + 1")
      endif()
    endif()
  endforeach()
  foreach(suite IN LISTS suites)
    string(APPEND text "add_test([==[${suite}]==] [==[${executable}]==] "
      "[==[--gtest_filter=${suite}.*]==])\n"
      "set_tests_properties([==[${suite}]==] PROPERTIES "
      "WORKING_DIRECTORY [==[${working_dir}]==] "
      "SKIP_REGULAR_EXPRESSION \"\${ctxbench_all_skipped}\"")
    if(tests_${suite} EQUAL disabled_${suite})
      string(APPEND text " DISABLED TRUE")
    endif()
    string(APPEND text ")\n")
  endforeach()
  list(LENGTH suites count)
  set(${out_var} "${text}" PARENT_SCOPE)
  set(${count_var} ${count} PARENT_SCOPE)
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  execute_process(COMMAND "${EXECUTABLE}" --gtest_list_tests
    WORKING_DIRECTORY "${WORKING_DIRECTORY}" TIMEOUT ${TIMEOUT}
    OUTPUT_VARIABLE listing ERROR_VARIABLE listing RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${EXECUTABLE} --gtest_list_tests failed (${result}):\n${listing}")
  endif()
  ctxbench_suite_tests("${listing}" "${EXECUTABLE}" "${WORKING_DIRECTORY}" text count)
  if(count EQUAL 0)
    message(FATAL_ERROR "${EXECUTABLE} --gtest_list_tests lists no test suite:\n${listing}")
  endif()
  file(WRITE "${OUTPUT}" "${text}")
endif()
