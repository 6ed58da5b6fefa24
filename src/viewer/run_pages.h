// The JSON of the viewer's run-level pages (Runs, Grid, Episodes list,
// Search), read from results.db with SQL aggregates and paging: no page loads
// a whole run into memory.
//
// Error channel: store failures throw a runtime ctxbench::Error naming the
// database; bad query values throw a usage Error naming the parameter (the
// API turns both into an HTTP status). Thread safety: each call opens its own
// read-only connection; safe from any thread.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "core/json.h"
#include "viewer/run_catalog.h"

namespace ctxbench {

using QueryParams = std::map<std::string, std::string>;

// One entry: {id, name, status, status_reason, started_at, finished_at,
// version, planned, episodes: {complete, error, unfinished}, cost_usd,
// tasks, policies, modes, models, seeds}.
Json RunSummaryJson(const RunFolder& run);

// {run, cells: [{task, policy, mode, model, episodes, complete, errors,
// unfinished, successes, success_rate, wilson_lo, wilson_hi (95%, complete
// episodes only), mean_tokens, mean_improvement_pct, cost_usd}]}.
Json GridJson(const RunFolder& run);

// Episodes filtered by task/policy/mode/model/status (exact), ordered by
// `sort` (a column name of the list) and `dir` (asc|desc), paged by `offset`
// and `limit` (at most 1000; 200 by default):
// {run, total, offset, limit, episodes: [{episode_id, task, ...}]}.
Json EpisodeListJson(const RunFolder& run, const QueryParams& query);

// Events whose trace line contains `q` (case-insensitive for ASCII), by
// episode and seq, paged like the list: {run, q, offset, limit, more, hits:
// [{episode_id, seq, type, iteration, step, snippet}]}. The store has no
// full-text index, so this is a LIKE scan.
Json SearchJson(const RunFolder& run, const QueryParams& query);

// The run's events in episode and seq order, paged by `offset` and `limit`
// (at most 5000; 1000 by default), each with its trace line as stored:
// {run, offset, limit, more, events: [{episode_id, seq, type, iteration,
// step, json}]}. The static bundle's search reads these pages.
Json EventPageJson(const RunFolder& run, const QueryParams& query);

// `text`, JSON ctxbench stored (run.json, a row of results.db), parsed as an
// object within kMaxStoredJsonDepth (core/json_limits.h). Throws a runtime
// Error "where: ..." saying why when it is malformed, nests deeper or is not
// an object (the API shows it as the page's error).
Json ParseStoredObject(std::string_view text, const std::string& where);

// A non-negative integer parameter; `fallback` if absent. Throws a usage
// error naming `name` if it is not a number or exceeds `max`.
int64_t IntParam(const QueryParams& query, const std::string& name, int64_t fallback, int64_t max);

}  // namespace ctxbench
