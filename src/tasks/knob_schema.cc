#include "tasks/knob_schema.h"

#include <cmath>

namespace ctxbench {

namespace {

// An integer knob's bounds as JSON integers ("minimum": 1, not 1.0).
Json Bound(const Knob& knob, double v) {
  if (knob.type == KnobType::kInt) return static_cast<long long>(std::llround(v));
  return v;
}

}  // namespace

Json KnobValueSchema(const Knob& knob) {
  Json s = Json::object();
  std::string description = knob.description;
  if (knob.type == KnobType::kChoice) {
    s["type"] = "string";
    s["enum"] = knob.choices;
  } else {
    s["type"] = knob.type == KnobType::kInt ? "integer" : "number";
    s["minimum"] = Bound(knob, knob.min);
    s["maximum"] = Bound(knob, knob.max);
    if (knob.log) description += description.empty() ? "Log scale." : " (log scale)";
  }
  if (!description.empty()) s["description"] = description;
  return s;
}

Json KnobConfigSchema(const TaskSpec& task) {
  Json properties = Json::object();
  Json required = Json::array();
  for (const Knob& knob : task.knobs) {
    properties[knob.name] = KnobValueSchema(knob);
    required.push_back(knob.name);
  }
  return {{"type", "object"},
          {"description", "A value for every knob of the task, and nothing else."},
          {"properties", std::move(properties)},
          {"required", std::move(required)},
          {"additionalProperties", false}};
}

}  // namespace ctxbench
