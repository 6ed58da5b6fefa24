// Fixture for the layers check (not compiled): datasets includes libcurl,
// which only http may (OWNS curl), so cmake/check_layers.cmake must fail
// naming this line.
#include <curl/curl.h>
