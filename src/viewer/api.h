// The viewer's JSON API: one function from a GET request to a reply, used by
// the HTTP server and by the static bundle alike.
//
//   /api/runs                                  every run (RunSummaryJson)
//   /api/runs/<run>                            one run
//   /api/runs/<run>/grid                       GridJson
//   /api/runs/<run>/episodes?task=&...         EpisodeListJson
//   /api/runs/<run>/episodes/<id>              EpisodeJson
//   /api/runs/<run>/episodes/<id>/xray/<step>  XrayJson
//   /api/runs/<run>/compare?a=<id>&b=<id>&iteration=<n>   CompareJson + curves
//   /api/runs/<run>/search?q=&offset=&limit=   SearchJson
//   /api/runs/<run>/events?offset=&limit=      EventPageJson
//
// Error channel: never throws. Unknown paths, runs, episodes and steps give
// 404, bad parameters 400, store failures 500; the body is {"error": "..."}.
// Thread safety: safe from any thread (each call opens its own read-only
// connection).
#pragma once

#include <string>

#include "core/json.h"
#include "viewer/run_catalog.h"
#include "viewer/run_pages.h"

namespace ctxbench {

class RunPageCache;

struct ApiReply {
  int status = 200;
  Json body;
};

// `path` is the decoded URL path (starting with /api/). With a `cache`, the
// Runs and Grid replies come from it while the run folder is unchanged
// (viewer/page_cache.h); without one they are computed every time.
ApiReply HandleApi(const RunCatalog& catalog, const std::string& path, const QueryParams& query,
                   RunPageCache* cache = nullptr);

}  // namespace ctxbench
