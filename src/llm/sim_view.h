// What the `sim` model can read off the messages it is given, and nothing
// else. The harness's prompts are plain text (agent/prompt.cc); SimView parses
// that text the way a reader would, so whatever a context policy hides from
// the messages is hidden from `sim` too.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/json.h"
#include "core/metric_direction.h"
#include "llm/message.h"

namespace ctxbench {

struct SimKnob {
  std::string name;
  enum Kind { kInt, kFloat, kChoice } kind = kFloat;
  double min = 0, max = 0;
  bool log = false;
  std::vector<std::string> choices;
};

struct SimResult {
  Json config;                  // as written in the text
  std::optional<double> value;  // empty for a failed experiment
};

struct SimView {
  std::vector<SimKnob> knobs;
  std::optional<Json> baseline_config;
  std::optional<double> baseline_value;
  std::optional<double> target;
  MetricDirection direction;  // "(higher is better)" / "(lower is better)"; higher if neither
  std::string metric;
  int iteration = 0;  // from the latest "Iteration i of n"
  int iterations = 0;
  bool asked_to_finish = false;           // the latest harness text asks for the final answer
  bool clarified = false;                 // a clarification answer is visible
  std::vector<std::string> hinted_knobs;  // knob names mentioned in clarifications, in order
  std::vector<SimResult> results;         // every visible experiment result, in order
  int assistant_turns = 0;
  std::string last_action;  // the tool the latest assistant message called ("" for none)

  // The best visible successful result, if any.
  std::optional<SimResult> Best() const;
  // `value` reaches the visible target; false when none is visible.
  bool MeetsTarget(double value) const;
};

// Reads the facts visible in `messages`.
SimView ReadSimView(const std::vector<Message>& messages);

}  // namespace ctxbench
