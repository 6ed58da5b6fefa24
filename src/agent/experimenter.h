// What an episode does to a task of one kind: its baseline, one experiment
// per train/run action, its final evaluation, and the tools it offers. The
// episode loop (agent/episode.h) is the same for every kind; a kind is one
// Experimenter (tune: agent/tune_experimenter.h, workspace:
// agent/workspace_experimenter.h; an MLE-bench import would be a third).
//
// Error channel: what the agent does is a value (a refused config, a failed
// run); a ctxbench::Error means the infrastructure failed the episode (the
// task cannot start, a sandbox or learner failure). Not thread-safe: one
// episode, one thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "agent/action.h"
#include "agent/mode.h"
#include "agent/workspace_session.h"
#include "core/expected.h"
#include "core/json.h"
#include "events/payloads.h"
#include "llm/model.h"

namespace ctxbench {

// The baseline an episode starts from.
struct Baseline {
  Json config;                        // the baseline's config (best so far at the start)
  double metric = 0;                  // validation: what the agent is told
  std::optional<double> test_metric;  // hidden; nullopt with the reason in test_error
  std::string test_error;
  double target_metric = 0;
  std::string statement;  // the task statement the agent is shown
  // A run that is itself an experiment event (number 0): a workspace's
  // starter run; nullopt for tune tasks.
  std::optional<ExperimentData> starter_run;
};

// One train/run action's result.
struct ExperimentResult {
  // Non-empty: the action was refused before it ran (an invalid config): it is
  // an invalid action, not an experiment, and takes no number.
  std::string refused;
  ExperimentData data;  // the op.experiment payload (data.experiment is the number)
  std::string text;     // what the agent is shown
};

class Experimenter {
 public:
  virtual ~Experimenter() = default;

  // The tools agentic calls send (empty in controller mode).
  virtual std::vector<ToolSpec> Tools() const = 0;
  // Controller mode: the schema of a proposal; nullopt otherwise.
  virtual std::optional<OutputSchema> ProposalSchema() const { return std::nullopt; }

  // Runs the baseline. Throws Error when the task cannot start (the baseline
  // does not train / the starter does not run and no baseline is configured).
  virtual Baseline Begin(int iterations) = 0;

  // Runs the experiment of `action` (train or run) as experiment `number`.
  virtual ExperimentResult Experiment(const Action& action, int number) = 0;

  // The config a final answer names, canonical, or why it is not acceptable
  // (the answer is then an invalid action). A workspace answer's config is
  // optional (null: the workspace as left).
  virtual Expected<Json> AnswerConfig(const Action& action) const = 0;

  // The final evaluation of a complete episode: `chosen` is the answer's
  // config, else the best measured one. A missing score is reported in the
  // data (ok false / test_metric nullopt, with `error`), never as 0.
  virtual FinalEvaluationData FinalEvaluation(const Json& chosen) = 0;

  // The file tools (workspace tasks); tune tasks offer none.
  virtual ToolReply FileTool(const Action& action) {
    return {"'" + action.tool + "' is not a tool of this task", false, Json::object()};
  }
};

}  // namespace ctxbench
