// The one libcurl global initialisation of the process. Every user of
// libcurl (the transport here, the Kaggle download client) calls it before
// its first curl_easy_init.
//
// Thread safety: safe from any thread; the first call initialises, later
// calls return at once. Never throws; libcurl's own failure to initialise
// shows as curl_easy_init returning null.
#pragma once

namespace ctxbench {

void CurlGlobalInit();

}  // namespace ctxbench
