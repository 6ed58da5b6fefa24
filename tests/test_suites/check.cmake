# cmake -DWRITER=<cmake/test_suites_write.cmake> -DLISTING=<listing.txt> -P check.cmake
# Checks the CTest file written for a --gtest_list_tests listing (one entry
# per suite; typed and parameterized names; DISABLED_ suites) and that its
# skip rule marks a suite skipped only when every test of it was skipped.
cmake_minimum_required(VERSION 3.25)
include(${WRITER})
file(READ ${LISTING} listing)
ctxbench_suite_tests("${listing}" /bin/unit_tests /work/dir text count)

set(problems "")
function(expect_line line)
  string(FIND "${text}" "${line}\n" at)
  if(at EQUAL -1)
    set(problems "${problems}\n  no line: ${line}" PARENT_SCOPE)
  endif()
endfunction()

if(NOT count EQUAL 6)
  string(APPEND problems "\n  ${count} suites, expected 6")
endif()
foreach(suite PlainTest Typed/0 Local/ParamTest MixedTest DISABLED_OffTest OffTest)
  expect_line("add_test([==[${suite}]==] [==[/bin/unit_tests]==] [==[--gtest_filter=${suite}.*]==])")
endforeach()
set(props "PROPERTIES WORKING_DIRECTORY [==[/work/dir]==] SKIP_REGULAR_EXPRESSION \"\${ctxbench_all_skipped}\"")
foreach(suite PlainTest Typed/0 Local/ParamTest MixedTest)
  expect_line("set_tests_properties([==[${suite}]==] ${props})")
endforeach()
foreach(suite DISABLED_OffTest OffTest)
  expect_line("set_tests_properties([==[${suite}]==] ${props} DISABLED TRUE)")
endforeach()
string(REGEX MATCHALL "add_test\\(" adds "${text}")
list(LENGTH adds add_count)
if(NOT add_count EQUAL 6)
  string(APPEND problems "\n  ${add_count} add_test calls, expected 6")
endif()

# The skip rule, as CTest reads it from the written file.
string(REGEX MATCH "^set\\(ctxbench_all_skipped [^\n]*\\)\n" set_line "${text}")
cmake_language(EVAL CODE "${set_line}")
set(tail_all_skipped
  "[  PASSED  ] 0 tests.\n[  SKIPPED ] 2 tests, listed below:\n[  SKIPPED ] S.A\n[  SKIPPED ] S.B\n")
set(tail_all_skipped_and_disabled
  "${tail_all_skipped}\n  YOU HAVE 1 DISABLED TEST\n\n")
set(tail_skipped_and_failed
  "[  PASSED  ] 0 tests.\n[  SKIPPED ] 1 test, listed below:\n[  SKIPPED ] S.A\n[  FAILED  ] 1 test, listed below:\n[  FAILED  ] S.B\n\n 1 FAILED TEST\n")
set(tail_skipped_and_passed
  "[  PASSED  ] 1 test.\n[  SKIPPED ] 1 test, listed below:\n[  SKIPPED ] S.A\n")
set(tail_passed "[  PASSED  ] 2 tests.\n")
foreach(tail tail_all_skipped tail_all_skipped_and_disabled)
  if(NOT "${${tail}}" MATCHES "${ctxbench_all_skipped}")
    string(APPEND problems "\n  ${tail}: not skipped")
  endif()
endforeach()
foreach(tail tail_skipped_and_failed tail_skipped_and_passed tail_passed)
  if("${${tail}}" MATCHES "${ctxbench_all_skipped}")
    string(APPEND problems "\n  ${tail}: skipped")
  endif()
endforeach()

if(problems)
  message(FATAL_ERROR "test_suites_write.cmake:${problems}\nwritten:\n${text}")
endif()
message(STATUS "test suites: ok (${count} suites)")
