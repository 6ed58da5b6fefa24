// The experimenter of workspace tasks: the agent edits files and each
// experiment runs the task's command in the episode's workspace
// (agent/experimenter.h). A wrapper around WorkspaceSession, which owns the
// workspace and the sandboxed commands.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "agent/experimenter.h"
#include "agent/workspace_session.h"
#include "tasks/process_runner.h"
#include "tasks/task_spec.h"

namespace ctxbench {

class WorkspaceExperimenter : public Experimenter {
 public:
  // REQUIRES: task.is_workspace(); `dir` holds a prepared workspace; `runner`
  // outlives the experimenter. `snapshot_dir` non-empty: a copy of the
  // workspace after each run goes to <snapshot_dir>/run-NN.
  WorkspaceExperimenter(const TaskSpec& task, Mode mode, std::string dir, ProcessRunner* runner,
                        int sandbox_uid, std::string snapshot_dir);

  std::vector<ToolSpec> Tools() const override;
  // Throws an input Error in controller mode (workspace tasks need agentic
  // mode) and a runtime Error when the starter does not run and the task
  // configures no baseline metric.
  Baseline Begin(int iterations) override;
  ExperimentResult Experiment(const Action& action, int number) override;
  Expected<Json> AnswerConfig(const Action& action) const override;
  // Runs the workspace as the agent left it, then the hidden evaluation;
  // `chosen` is not used (the workspace is what is evaluated). When no file
  // changed since the latest run and that run succeeded, its results are
  // taken instead (FinalEvaluationData::reused_run): the predictions on disk
  // are the ones its evaluation scored.
  FinalEvaluationData FinalEvaluation(const Json& chosen) override;
  ToolReply FileTool(const Action& action) override;

 private:
  const TaskSpec& task_;
  Mode mode_;
  WorkspaceSession session_;
  std::string snapshot_dir_;
  std::set<std::string> tried_;  // config + metric of the runs so far
  WorkspaceRun last_run_;        // the latest run (the starter's: number 0)
  int last_run_number_ = -1;     // -1: no run yet
};

// The op.experiment payload of a workspace run.
ExperimentData WorkspaceExperimentData(int number, const WorkspaceRun& run, bool repeated);

}  // namespace ctxbench
