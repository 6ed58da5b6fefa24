// The JSON of one episode: its row, its event timeline and its series, and
// the event reading every per-episode page shares.
//
// Error channel: an unknown episode throws an input ctxbench::Error naming
// it (the API answers 404); store failures, and a row that is not a JSON
// object within the stored depth (a corrupt store), throw a runtime Error
// naming the database and the row (the API answers 500 with it). Thread
// safety: each call opens its own read-only connection.
#pragma once

#include <string>
#include <vector>

#include "core/json.h"
#include "events/event.h"
#include "viewer/run_catalog.h"

namespace ctxbench {

// The episode's events in seq order, from the store's `events` table.
std::vector<Event> ReadEpisodeEvents(const RunFolder& run, const std::string& episode_id);

// {run, episode: {episode_id, task, policy, model, mode, seed, status (the
// row's: "running" while in progress), started_at, ended_at, and every field
// of Outcome::ToJson but status: the outcome the report reads, the fold of
// the episode's events (agent/fold_outcome.h's StoredOutcome; for an
// episode with neither op.stop nor a recorded outcome, the fold of its
// events so far)}, outcome: {the outcome_json the run recorded, or {}},
// timeline: [{seq, type, iteration, step, time, role?, name?, content?,
// tool_calls?, data, diff?}], steps: [{step, iteration, seq, tokens, budget}],
// best_so_far: [{iteration, tokens, value}]}. Strings longer than 4000
// characters are cut, marked with a trailing "… [N more characters]". A
// tool result of a successful write_file/edit_file/undo_edit carries `diff`
// (FileEditDiffToJson, viewer/file_edits.h; its lines are never cut).
Json EpisodeJson(const RunFolder& run, const std::string& episode_id);

}  // namespace ctxbench
