#include "agent/workspace_experimenter.h"

#include <utility>

#include "agent/prompt.h"
#include "agent/tool_schema.h"
#include "core/error.h"

namespace ctxbench {

ExperimentData WorkspaceExperimentData(int number, const WorkspaceRun& run, bool repeated) {
  ExperimentData d;
  d.experiment = number;
  d.config = run.config;
  d.ok = run.ok;
  d.error = run.error;
  if (run.ok) d.valid_metric = run.metric;
  d.train_seconds = run.result.seconds;
  d.repeated = repeated;
  d.reported_metric = run.reported_metric;
  d.process = ProcessFacts{run.result.exit_code,    run.result.signal, run.result.timed_out,
                           run.overhead_seconds,    run.traceback,     run.result.output,
                           run.result.output_total, run.snapshot};
  return d;
}

WorkspaceExperimenter::WorkspaceExperimenter(const TaskSpec& task, Mode mode, std::string dir,
                                             ProcessRunner* runner, int sandbox_uid,
                                             std::string snapshot_dir)
    : task_(task),
      mode_(mode),
      session_(task, std::move(dir), runner, sandbox_uid),
      snapshot_dir_(std::move(snapshot_dir)) {}

std::vector<ToolSpec> WorkspaceExperimenter::Tools() const {
  return WorkspaceAgentTools(task_.workspace.tools);
}

Baseline WorkspaceExperimenter::Begin(int iterations) {
  if (mode_ != Mode::kAgentic) ThrowInput(task_.name, "workspace tasks need agentic mode");
  WorkspaceRun base = session_.Run();
  last_run_ = base;
  last_run_number_ = 0;
  if (!base.ok && !task_.workspace.baseline_metric) {
    ThrowRuntime(task_.name, "the starter workspace does not run: " + base.error);
  }
  Baseline b;
  b.metric = base.ok ? base.metric : *task_.workspace.baseline_metric;
  if (base.ok) {
    Expected<double> test = session_.HiddenTest();
    b.test_metric = test.as_optional();
    b.test_error = test.error();
  } else {
    b.test_error = "the starter workspace does not run: " + base.error;
  }
  b.target_metric = TargetMetric(task_, b.metric);
  b.config = base.config;
  b.statement = WorkspaceTaskStatement(task_, session_.Listing(), base, b.metric, b.target_metric,
                                       iterations);
  b.starter_run = WorkspaceExperimentData(0, base, false);
  return b;
}

ExperimentResult WorkspaceExperimenter::Experiment(const Action&, int number) {
  WorkspaceRun run = session_.Run();
  bool repeated = run.ok && !tried_.insert(run.config.dump() + FormatMetric(run.metric)).second;
  if (!snapshot_dir_.empty()) run.snapshot = session_.Snapshot(snapshot_dir_, number);
  last_run_ = run;
  last_run_number_ = number;
  ExperimentResult r;
  r.data = WorkspaceExperimentData(number, run, repeated);
  r.text = WorkspaceRunText(number, task_.metric, run);
  return r;
}

Expected<Json> WorkspaceExperimenter::AnswerConfig(const Action& action) const {
  return action.args.contains("config") ? action.args["config"] : Json();
}

FinalEvaluationData WorkspaceExperimenter::FinalEvaluation(const Json&) {
  FinalEvaluationData d;
  bool reuse = last_run_number_ >= 0 && last_run_.ok && !session_.ChangedSinceRun();
  WorkspaceRun fin = reuse ? last_run_ : session_.Run();
  // HiddenTest() and HiddenGrading() below are still the reused run's.
  if (reuse) d.reused_run = last_run_number_;
  d.train_seconds = fin.result.seconds;  // when reused, that run's (as a memo hit records)
  d.config = fin.config;
  d.ok = fin.ok;
  d.reported_metric = fin.reported_metric;
  if (fin.ok) {
    d.valid_metric = fin.metric;
    Expected<double> test = session_.HiddenTest();
    d.test_metric = test.as_optional();
    d.error = test.error();
    d.grading = session_.HiddenGrading();
  } else {
    d.error = fin.error;
  }
  return d;
}

ToolReply WorkspaceExperimenter::FileTool(const Action& action) {
  return session_.FileTool(action);
}

}  // namespace ctxbench
