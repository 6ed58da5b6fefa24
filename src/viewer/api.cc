#include "viewer/api.h"

#include <vector>

#include "core/error.h"
#include "viewer/episode_page.h"
#include "viewer/page_cache.h"
#include "viewer/xray.h"

namespace ctxbench {

namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

ApiReply NotFound(const std::string& what) { return {404, {{"error", what}}}; }

std::string Param(const QueryParams& query, const std::string& name) {
  auto it = query.find(name);
  if (it == query.end() || it->second.empty()) ThrowUsage(name, "missing");
  return it->second;
}

// `page`'s reply for `run`, through the cache when there is one.
Json Cached(RunPageCache* cache, const RunFolder& run, const char* page,
            Json (*compute)(const RunFolder&)) {
  if (cache == nullptr) return compute(run);
  return cache->Get(run, page, [&] { return compute(run); });
}

ApiReply Route(const RunCatalog& catalog, const std::vector<std::string>& parts,
               const QueryParams& query, RunPageCache* cache) {
  if (parts.size() < 2 || parts[0] != "api" || parts[1] != "runs") return NotFound("no such page");
  if (parts.size() == 2) {
    Json runs = Json::array();
    for (const RunFolder& run : catalog.runs()) {
      try {
        runs.push_back(Cached(cache, run, "summary", RunSummaryJson));
      } catch (const Error& e) {
        runs.push_back({{"id", run.id}, {"status", "unreadable"}, {"status_reason", e.what()}});
      }
    }
    return {200, {{"runs", runs}}};
  }
  const RunFolder* run = catalog.Find(parts[2]);
  if (run == nullptr) return NotFound("no run '" + parts[2] + "'");
  if (parts.size() == 3) return {200, Cached(cache, *run, "summary", RunSummaryJson)};
  const std::string& page = parts[3];
  if (page == "grid" && parts.size() == 4) return {200, Cached(cache, *run, "grid", GridJson)};
  if (page == "search" && parts.size() == 4) return {200, SearchJson(*run, query)};
  if (page == "events" && parts.size() == 4) return {200, EventPageJson(*run, query)};
  if (page == "episodes" && parts.size() == 4) return {200, EpisodeListJson(*run, query)};
  if (page == "episodes" && parts.size() == 5) return {200, EpisodeJson(*run, parts[4])};
  if (page == "episodes" && parts.size() == 7 && parts[5] == "xray") {
    QueryParams step_param = {{"step", parts[6]}};
    int step = static_cast<int>(IntParam(step_param, "step", 0, 1 << 30));
    Json xray = XrayJson(ReadEpisodeEvents(*run, parts[4]), step);
    xray["run"] = run->id;
    xray["episode_id"] = parts[4];
    return {200, xray};
  }
  if (page == "compare" && parts.size() == 4) {
    std::string a = Param(query, "a"), b = Param(query, "b");
    int iteration = static_cast<int>(IntParam(query, "iteration", 1, 1 << 30));
    Json out = CompareJson(ReadEpisodeEvents(*run, a), ReadEpisodeEvents(*run, b), iteration);
    out["run"] = run->id;
    out["a"]["episode_id"] = a;
    out["b"]["episode_id"] = b;
    out["a"]["best_so_far"] = EpisodeJson(*run, a)["best_so_far"];
    out["b"]["best_so_far"] = EpisodeJson(*run, b)["best_so_far"];
    return {200, out};
  }
  return NotFound("no such page");
}

}  // namespace

ApiReply HandleApi(const RunCatalog& catalog, const std::string& path, const QueryParams& query,
                   RunPageCache* cache) {
  try {
    return Route(catalog, Split(path), query, cache);
  } catch (const Error& e) {
    int status = e.code() == ErrorCode::kUsage ? 400 : e.code() == ErrorCode::kInput ? 404 : 500;
    return {status, {{"error", e.what()}}};
  } catch (const std::exception& e) {
    return {500, {{"error", e.what()}}};
  }
}

}  // namespace ctxbench
