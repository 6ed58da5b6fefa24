# cmake -DSRC=<src folder> -P check_payload_reads.cmake
# Fails, naming each file:line, when code outside src/events reads an event's
# payload (`data`) by string key instead of through its struct in
# events/payloads.h (docs/store.md, "Event payloads"). It catches the shapes
# such reads take:
#   e.data.find("k") / .value( / .contains( / .at( / .count( / .items( /
#     .is_object( / .is_array( / .get( / .get_ref( / .get_to(
#   e.data["k"]
#   ValueOr(e.data, "k", ...), or any call passing the payload with a key
#   const Json& d = e.data;  auto& d = e.data;  const Json* d = &e.data;
# and the same shapes on op.context's manifest (`c.manifest`, ContextData's
# raw Json: read it through Manifest::FromJson in context/policy.h).
# (`e` may be any name, `.` may be `->`). A helper that is handed the payload
# (`Foo(e.data)`) and reads keys inside is not seen: pass it the struct.
# Not checked: src/events (the payloads' home), tests (*_test.*), test
# fixtures (test_*) and fakes (fake_*); comment lines.
cmake_minimum_required(VERSION 3.25)
get_filename_component(SRC "${SRC}" ABSOLUTE)
set(id "[A-Za-z_][A-Za-z_0-9]*")
set(sp "[ \t]*")
set(data "(\\.|->)(data|manifest)${sp}")
set(patterns
  "${data}\\.(find|value|contains|at|count|items|is_object|is_array|get|get_ref|get_to)${sp}[(<]"
  "${data}@L@"
  "${data},${sp}\""
  "(Json|auto)${sp}&?${sp}${id}${sp}=${sp}${id}${data}@S@"
  "Json${sp}\\*${sp}${id}${sp}=${sp}&${sp}${id}${data}@S@")
file(GLOB_RECURSE files RELATIVE ${SRC} ${SRC}/*.h ${SRC}/*.cc)
list(SORT files)
set(problems "")
foreach(f ${files})
  get_filename_component(base ${f} NAME)
  if(f MATCHES "^events/" OR base MATCHES "_test\\.(cc|h)$" OR base MATCHES "^(test|fake)_")
    continue()
  endif()
  file(READ ${SRC}/${f} text)
  # One list element per line: protect what a CMake list treats specially.
  string(REPLACE ";" "@S@" text "${text}")
  string(REPLACE "[" "@L@" text "${text}")
  string(REPLACE "]" "@R@" text "${text}")
  string(REPLACE "\\" "@B@" text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(n 0)
  foreach(line IN LISTS lines)
    math(EXPR n "${n} + 1")
    if(line MATCHES "^${sp}//")
      continue()
    endif()
    foreach(p IN LISTS patterns)
      if(line MATCHES "${p}")
        string(REPLACE "@S@" ";" shown "${line}")
        string(REPLACE "@L@" "[" shown "${shown}")
        string(REPLACE "@R@" "]" shown "${shown}")
        string(REPLACE "@B@" "\\" shown "${shown}")
        string(STRIP "${shown}" shown)
        string(APPEND problems "\n  src/${f}:${n}: ${shown}")
        break()
      endif()
    endforeach()
  endforeach()
endforeach()
if(problems)
  message(FATAL_ERROR "An event payload read by string key outside src/events (read it "
    "through its struct in events/payloads.h: FromJson, or an accessor there; op.context's "
    "manifest through Manifest::FromJson):${problems}")
endif()
