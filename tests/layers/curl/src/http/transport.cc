// Fixture for the layers check (not compiled): http owns libcurl, so this
// include is allowed and must not be named.
#include <curl/curl.h>
