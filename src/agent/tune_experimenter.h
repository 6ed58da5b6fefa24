// The experimenter of tune tasks: each experiment trains the task's learner
// on a config of its knobs (agent/experimenter.h).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "agent/experimenter.h"
#include "agent/mode.h"
#include "tasks/dataset.h"
#include "tasks/learner.h"
#include "tasks/task_spec.h"

namespace ctxbench {

class TuneExperimenter : public Experimenter {
 public:
  // Nothing is owned; all must outlive the experimenter.
  TuneExperimenter(const TaskSpec& task, const Splits& splits, Learner& learner, Mode mode,
                   int seed);

  std::vector<ToolSpec> Tools() const override;
  std::optional<OutputSchema> ProposalSchema() const override;
  Baseline Begin(int iterations) override;
  ExperimentResult Experiment(const Action& action, int number) override;
  Expected<Json> AnswerConfig(const Action& action) const override;
  FinalEvaluationData FinalEvaluation(const Json& chosen) override;

 private:
  const TaskSpec& task_;
  const Splits& splits_;
  Learner& learner_;
  Mode mode_;
  int seed_;
  std::set<std::string> tried_;  // canonical configs run so far, the baseline's included
};

}  // namespace ctxbench
