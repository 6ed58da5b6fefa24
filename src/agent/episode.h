// One episode: the loop of policy.build → model.complete → action → event,
// in agentic or controller mode, until a stop rule fires.
#pragma once

#include <string>
#include <vector>

#include "agent/experimenter.h"
#include "agent/mode.h"
#include "agent/outcome.h"
#include "context/policy.h"
#include "core/clock.h"
#include "core/episode_key.h"
#include "events/event.h"
#include "llm/model.h"
#include "llm/token_counter.h"
#include "tasks/dataset.h"
#include "tasks/learner.h"
#include "tasks/process_runner.h"
#include "tasks/task_spec.h"

namespace ctxbench {

struct EpisodeSettings {
  EpisodeKey key;
  Mode mode = Mode::kController;
  Budgets budgets;            // iterations, steps per iteration, tokens, wall seconds, cost
  int context_tokens = 8000;  // the policy's budget for each context
  int max_completion_tokens = 1024;
  int retrieve_k = 3;
};

// What an episode uses. Nothing here is owned; all must outlive RunEpisode.
struct EpisodeDeps {
  const TaskSpec* task = nullptr;
  const Splits* splits = nullptr;
  std::string data_notes;  // what `ask` may say about the data
  Learner* learner = nullptr;
  Model* model = nullptr;
  const Policy* policy = nullptr;
  const TokenCounter* counter = nullptr;
  const Clock* clock = nullptr;
  std::vector<EventSink*> sinks;
  // Workspace tasks: the prepared workspace folder, the runner of its
  // commands and the uid they run as (-1: the harness's own).
  std::string workspace_dir;
  ProcessRunner* runner = nullptr;
  int sandbox_uid = -1;
  // When set, a copy of the workspace after each run goes to
  // <snapshot_dir>/run-NN (workspace tasks; config `workspace.snapshots`).
  std::string snapshot_dir;
  // When set, the experimenter to use (tests); else the task kind's
  // (TuneExperimenter or WorkspaceExperimenter, made from the fields above).
  Experimenter* experimenter = nullptr;
};

// Runs the episode and returns its outcome: FoldOutcome of its events (the
// outcome is never counted by hand). Never throws for what the agent, the
// model or the infrastructure does: a ctxbench::Error anywhere in the episode,
// its baseline and final evaluation included, ends it with status "error"
// and the error recorded (a failed model call also as an llm call event
// without a reply, with its attempts); a call cut short by cancellation
// (CancelledError) ends it with status "interrupted": not finished, to be
// run again. Any other exception is a bug and propagates (it never enters
// the statistics as an errored episode). Every fact goes through the event
// log to the sinks, ending with op.stop and episode.end.
Outcome RunEpisode(const EpisodeSettings& settings, const EpisodeDeps& deps);

}  // namespace ctxbench
