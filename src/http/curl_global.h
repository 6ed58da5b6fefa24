// The one libcurl global initialisation of the process. The libcurl
// transport (curl_transport.cc, the only user of libcurl) calls it before its
// first curl_easy_init.
//
// Thread safety: safe from any thread; the first call initialises, later
// calls return at once. Never throws; libcurl's own failure to initialise
// shows as curl_easy_init returning null.
#pragma once

namespace ctxbench {

void CurlGlobalInit();

}  // namespace ctxbench
