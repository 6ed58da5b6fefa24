#include "agent/prompt.h"

#include "core/error.h"

namespace ctxbench {

std::string SystemPrompt(Mode mode) {
  std::string common =
      "You are an ML experimenter. You improve a gradient-boosted model on a task by running "
      "experiments: each experiment trains the model with a config of knob values and reports "
      "its validation score. Only validation scores are shown to you; a hidden test split "
      "scores your final config. Try configs you have not tried, build on what worked, and "
      "stop with a final answer when you reach the target or are asked to.\n";
  if (mode == Mode::kAgentic) {
    return common +
           "Use the tools you are given. An iteration ends when you call train (one "
           "experiment) or final_answer. ask answers clarifying questions about the task and "
           "data; note keeps a note for later; retrieve searches your notes and past results; "
           "summarize lists your experiments so far.";
  }
  return common +
         "Reply to each message with exactly one JSON object and nothing else, either\n"
         "{\"action\": \"train\", \"config\": {...}} to run an experiment, or\n"
         "{\"action\": \"final_answer\", \"config\": {...}, \"metric\": <validation score of "
         "that config>, \"summary\": \"one line\"} to finish.\n"
         "A config sets every knob the task lists, each within its range.";
}

namespace {
std::string KnobLine(const Knob& k) {
  std::string line = "- " + k.name + ": ";
  if (k.type == KnobType::kChoice) {
    line += "one of [";
    for (size_t i = 0; i < k.choices.size(); ++i) line += (i ? ", " : "") + k.choices[i];
    line += "]";
  } else {
    line += std::string(k.type == KnobType::kInt ? "integer" : "number") + " in [" +
            FormatMetric(k.min) + ", " + FormatMetric(k.max) + "]";
    if (k.log) line += ", log scale";
  }
  if (!k.description.empty()) line += ". " + k.description;
  return line;
}
}  // namespace

std::string TaskStatement(const TaskSpec& task, const Splits& splits, double baseline_metric,
                          double target_metric, int iterations) {
  const Dataset& d = splits.train;
  std::string s = "Task: " + task.name + "\n" + task.description + "\n\n";
  s +=
      "Data: " + std::to_string(d.rows) + " training rows, " + std::to_string(d.cols) + " features";
  if (d.num_classes > 0) s += ", " + std::to_string(d.num_classes) + " classes";
  s += "; " + std::to_string(splits.valid.rows) + " validation rows.\n";
  s += "Metric: " + task.metric + " on the validation split (" +
       (task.higher_is_better ? "higher" : "lower") + " is better).\n";
  s += "Baseline config: " + task.baseline.dump() + "\n";
  s += "Baseline validation " + task.metric + ": " + FormatMetric(baseline_metric) + "\n";
  s += "Target: validation " + task.metric + " " + (task.higher_is_better ? ">=" : "<=") + " " +
       FormatMetric(target_metric) + " (" + FormatMetric(task.target_improvement_pct) +
       "% better than the baseline).\n";
  s += "Budget: " + std::to_string(iterations) + " experiments.\n\n";
  s += "Knobs (a config sets every one of these and nothing else; other learner settings are "
       "fixed):\n";
  for (const Knob& k : task.knobs) s += KnobLine(k) + "\n";
  return s;
}

std::string IterationPrompt(Mode mode, int iteration, int iterations) {
  std::string s = "Iteration " + std::to_string(iteration) + " of " + std::to_string(iterations) +
                  " (" + std::to_string(iterations - iteration + 1) +
                  " experiments left, this one included).";
  s += mode == Mode::kAgentic ? " Call tools; the iteration ends when you call train."
                              : " Reply with your next JSON action.";
  return s;
}

std::string FinalAnswerRequest(const std::string& reason) {
  std::string why =
      reason == "target_met" ? "The target is met." : "The experiment budget is spent.";
  return why +
         " Give your final answer now: the best config you found, its validation score "
         "and a one-line summary.";
}

}  // namespace ctxbench
