// The workspace side of an episode: the file tools and `run` of a workspace
// task, executed in the episode's workspace folder, and the texts the agent
// sees for them (agent/prompt.h formats, so `sim` and policies read them as
// they read tune tasks).
//
// Error channel: tool failures are values (ok=false with the text for the
// agent); nothing here throws for what the agent does.
#pragma once

#include <optional>
#include <string>

#include "agent/action.h"
#include "core/expected.h"
#include "core/json.h"
#include "tasks/process_runner.h"
#include "tasks/task_spec.h"
#include "tasks/workspace.h"

namespace ctxbench {

// One execution of the task's run command, scored by the harness.
struct WorkspaceRun {
  bool ok = false;  // exit 0 and the harness's evaluation scored the outputs
  // The validation metric the harness's evaluation computed from the agent's
  // predictions (the task's `eval`, in its own sandbox): what decides success.
  double metric = 0;
  // What the run wrote to the task's metrics file, when it holds the metric:
  // recorded beside `metric` as `reported_metric`, never used for scoring.
  std::optional<double> reported_metric;
  // The hidden test metric of this run's outputs, never shown to the agent.
  std::optional<double> test_metric;
  std::string error;             // !ok: one line (status, traceback summary or evaluation problem)
  Json config = Json::object();  // the config file's JSON when it parses, else {}
  Json traceback;                // Traceback::ToJson() of a failed Python run, else null
  ProcessResult result;          // raw: output (capped), exit code, seconds
  double overhead_seconds = 0;   // harness time around the process (prepare + read metrics)
  std::string snapshot;          // the snapshot folder of this run, when one was taken
};

struct ToolReply {
  std::string text;  // what the agent sees
  bool ok = false;
  Json data = Json::object();  // for the trace: path, bytes, error
};

class WorkspaceSession {
 public:
  // REQUIRES: task.is_workspace(); `dir` holds a prepared workspace; `runner`
  // outlives the session.
  WorkspaceSession(const TaskSpec& task, std::string dir, ProcessRunner* runner, int sandbox_uid);

  // list_files, read_file, write_file, edit_file, undo_edit.
  ToolReply FileTool(const Action& action);
  // Runs the task's command in the agent's sandbox, reads the agent's claim
  // from the metrics file, then runs the task's evaluation in a sandbox of
  // its own (workspace read-only, the hidden labels bound only there,
  // python3 -I) for the validation and test metrics.
  WorkspaceRun Run();
  // The hidden test metric of the latest Run; fails (saying why) when that
  // run failed or its evaluation printed none.
  Expected<double> HiddenTest() const;
  // The latest Run's evaluation "grading" object (null when it printed none):
  // hidden, recorded in op.final_evaluation only.
  const Json& HiddenGrading() const { return test_grading_; }

  // Copies the workspace's writable files (read-only ones never change) to
  // <snapshot_dir>/run-NN; returns that folder relative to the run folder
  // (the parent of snapshot_dir's parent), or "" (with a warning) when
  // the copy fails: a snapshot is for audit and never ends the episode.
  // Only files changed since the previous snapshot are copied (read through
  // descriptors, links never followed; tasks/workspace.h).
  std::string Snapshot(const std::string& snapshot_dir, int number);

  std::string Listing() const;
  const std::string& dir() const { return dir_; }
  // False when no file tool changed the workspace since the latest Run's
  // command ended (true before the first Run). No process of a run outlives
  // its command (the sandbox kills them all), so the file tools are the only
  // writers between runs.
  bool ChangedSinceRun() const { return changed_since_run_; }

 private:
  ProcessRequest Request(const std::vector<std::string>& argv) const;
  // Runs the task's evaluation on the workspace as it is; fills run->metric
  // and run->test_metric, or returns why it could not.
  std::string Evaluate(WorkspaceRun* run);

  const TaskSpec& task_;
  std::string dir_;
  ProcessRunner* runner_;
  int sandbox_uid_;
  Workspace workspace_;
  std::optional<double> test_metric_;  // of the latest Run
  Json test_grading_;                  // of the latest Run
  WorkspaceDigests snapshot_digests_;  // what the snapshots hold so far
  std::string test_error_;
  bool changed_since_run_ = true;
};

// The observation for run `number`: the ExperimentResultText line, then the
// status and the tail of the output; a failed run gives the
// ExperimentFailedText line with the traceback summary.
std::string WorkspaceRunText(int number, const std::string& metric, const WorkspaceRun& run);

// The task statement of a workspace task: description, files, the run
// command, metric and direction, baseline (or the starter's failure), target,
// budget and the tools.
std::string WorkspaceTaskStatement(const TaskSpec& task, const std::string& listing,
                                   const WorkspaceRun& baseline, double baseline_metric,
                                   double target_metric, int iterations);

}  // namespace ctxbench
