// What a report is made of: a run folder read into typed structs. Everything
// downstream (statistics, charts, writers) works on these, never on JSON or
// SQL.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agent/outcome.h"
#include "core/episode_key.h"
#include "core/json.h"
#include "report/workspace_stats.h"

namespace ctxbench {

// A point of a step function: after `x` (iteration, cumulative tokens or
// step), the series has value `y`.
struct SeriesPoint {
  double x = 0;
  double y = 0;
};

// One episode: its key, its outcome and what only the report derives from its
// events (the series the plots need, the workspace's figures).
struct EpisodeData {
  EpisodeKey key;
  // The episode's outcome as agent/fold_outcome.h's StoredOutcome makes it:
  // FoldOutcome of its stored events (the outcome_json of a run written
  // before events held the whole outcome). The one record of every outcome
  // metric: readers use its optionals and enums as they are (a hidden test
  // that did not run is nullopt: missing, never 0). Its status is complete
  // or error: unfinished episodes are not loaded.
  Outcome outcome;
  // op.experiment events, a workspace's starter run (experiment 0) included,
  // which outcome.history leaves out.
  int experiments = 0;
  // First iteration whose best-so-far met the target; none if never.
  std::optional<int> iterations_to_target;
  std::optional<WorkspaceStats> workspace;  // workspace tasks only

  std::vector<SeriesPoint> best_by_iteration;  // x = iteration (0 = baseline)
  std::vector<SeriesPoint> best_by_tokens;     // x = cumulative tokens of all LLM calls
  std::vector<SeriesPoint> context_by_step;    // x = step, y = context tokens sent

  long long total_tokens() const { return outcome.prompt_tokens + outcome.completion_tokens; }
  // |claimed - measured final validation metric|, when the answer claimed
  // one and the final evaluation measured one; none otherwise.
  std::optional<double> claim_gap() const;
};

struct ModelInfo {
  std::string name;
  std::string kind;   // "openai", "sim", "replay"; "" if the config does not say
  std::string model;  // the backend's model id, if any
};

struct RunData {
  std::string dir;  // the run folder
  std::string run_id;
  std::string name;           // the config's name
  std::string status;         // the run's status (run_status.h's vocabulary)
  std::string status_reason;  // why it is not complete, from run.json; "" if none
  size_t planned = 0;         // planned episodes, from run.json (else the finished ones)
  std::string version;        // ctxbench version that wrote the run
  double started_at = 0;      // Unix seconds
  double finished_at = 0;
  std::vector<std::string> tasks;  // in config order
  std::vector<std::string> policies;
  std::vector<std::string> modes;
  std::vector<uint64_t> seeds;
  std::vector<ModelInfo> models;
  // The conditions the config set (0 / "" where it did not say).
  int num_steps = 0;
  long long context_budget = 0;  // budget.context_tokens
  long long max_tokens = 0;      // budget.max_tokens per episode
  std::string token_counter;
  // Each policy's parameters in one line ("window, max_turns 3"), config order.
  std::vector<std::pair<std::string, std::string>> policy_params;
  // The episodes that finished with status "complete", ordered by episode id:
  // the only input of every statistic, comparison and chart.
  std::vector<EpisodeData> episodes;
  // The episodes that finished with status "error" (the infrastructure failed
  // them), ordered by episode id: counted in the errors columns and listed
  // with their error, never in a statistic. Any other status is unfinished
  // and in neither list.
  std::vector<EpisodeData> errored;

  // Every finished episode (both lists), ordered by episode id.
  std::vector<const EpisodeData*> Finished() const;
  // The model's entry; a default one (kind "") for a name the config lacks.
  ModelInfo Model(const std::string& name) const;
};

// "sim (built-in sim experimenter, not an LLM)" for a sim model, "name (id)"
// for one with a backend id, else the name. Used in every chart title.
std::string ModelLabel(const RunData& run, const std::string& model);
bool IsSimModel(const RunData& run, const std::string& model);

// Reads a run folder's results.db, and run.json's run id, planned count and
// status reason when it has one. Unfinished episodes (status "running" or
// any other than complete and error) are left out; complete and errored ones
// go to their own lists. Throws an input error naming the folder if it
// has no readable results.db or the store holds no run of that folder's name.
RunData LoadRunData(const std::string& run_dir);

}  // namespace ctxbench
