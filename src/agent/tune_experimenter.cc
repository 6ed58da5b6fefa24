#include "agent/tune_experimenter.h"

#include "agent/prompt.h"
#include "agent/tool_schema.h"
#include "core/error.h"

namespace ctxbench {

TuneExperimenter::TuneExperimenter(const TaskSpec& task, const Splits& splits, Learner& learner,
                                   Mode mode, int seed)
    : task_(task), splits_(splits), learner_(learner), mode_(mode), seed_(seed) {}

std::vector<ToolSpec> TuneExperimenter::Tools() const {
  return mode_ == Mode::kAgentic ? AgentTools(task_) : std::vector<ToolSpec>{};
}

std::optional<OutputSchema> TuneExperimenter::ProposalSchema() const {
  if (mode_ == Mode::kAgentic) return std::nullopt;
  return ControllerProposalSchema(task_);
}

Baseline TuneExperimenter::Begin(int iterations) {
  Evaluation base = learner_.Evaluate(task_, splits_, task_.baseline, seed_);
  if (!base.ok) ThrowRuntime(task_.name, "the baseline config does not train: " + base.error);
  Baseline b;
  b.metric = base.valid_metric;
  b.test_metric = base.test_metric;
  b.target_metric = TargetMetric(task_, base.valid_metric);
  b.config = CanonicalConfig(task_, task_.baseline);
  tried_.insert(b.config.dump());
  b.statement = TaskStatement(task_, splits_, b.metric, b.target_metric, iterations);
  return b;
}

ExperimentResult TuneExperimenter::Experiment(const Action& action, int number) {
  ExperimentResult r;
  const Json& config = action.args["config"];
  if (Status problem = CheckConfig(task_, config); !problem.ok()) {
    r.refused = ExperimentFailedText(number, config, problem.error());
    return r;
  }
  Json canonical = CanonicalConfig(task_, config);
  bool repeated = !tried_.insert(canonical.dump()).second;
  Evaluation ev = learner_.Evaluate(task_, splits_, canonical, seed_);
  ExperimentData& x = r.data;
  x.experiment = number;
  x.config = canonical;
  x.ok = ev.ok;
  x.error = ev.error;
  x.valid_metric = ev.valid_metric;
  x.test_metric = ev.test_metric;
  x.cached = ev.cached;
  x.train_seconds = ev.train_seconds;
  x.repeated = repeated;
  r.text = ev.ok ? ExperimentResultText(number, task_.metric, canonical, ev.valid_metric)
                 : ExperimentFailedText(number, canonical, ev.error);
  return r;
}

Expected<Json> TuneExperimenter::AnswerConfig(const Action& action) const {
  Json config = action.args.contains("config") ? action.args["config"] : Json();
  if (Status problem = CheckConfig(task_, config); !problem.ok()) {
    return Expected<Json>::Failure(problem.error());
  }
  return CanonicalConfig(task_, config);
}

FinalEvaluationData TuneExperimenter::FinalEvaluation(const Json& chosen) {
  Evaluation fin = learner_.Evaluate(task_, splits_, chosen, seed_);
  FinalEvaluationData d;
  d.config = chosen;
  d.ok = fin.ok;
  d.train_seconds = fin.train_seconds;
  if (fin.ok) {
    d.valid_metric = fin.valid_metric;
    d.test_metric = fin.test_metric;
  } else {
    d.error = "the final config does not train: " + fin.error;
  }
  return d;
}

}  // namespace ctxbench
