// The JSON Schema of a task's config (an object of knob values), generated
// from its knobs: the schema models are sent for `train` and `final_answer`
// and for controller proposals.
//
// It describes exactly the configs CheckConfig accepts (tested for every
// bundled task in knob_schema_test.cc): one property per knob, all required,
// no others. It stays inside the JSON Schema subset OpenAI's strict mode
// accepts (docs/models.md, "Strict schemas"): type, enum, minimum, maximum,
// description, properties, required, additionalProperties: false.
#pragma once

#include "core/json.h"
#include "tasks/task_spec.h"

namespace ctxbench {

// One knob's value: {"type": "integer"|"number", "minimum", "maximum"} or
// {"type": "string", "enum": [...]}, with a description.
Json KnobValueSchema(const Knob& knob);

// The config object of `task`: every knob a required property,
// additionalProperties false. A task without knobs (workspace tasks) gives an
// object with no properties.
Json KnobConfigSchema(const TaskSpec& task);

}  // namespace ctxbench
