// The config schema and the config validator agree, for every bundled task:
// every config the schema allows, CheckConfig accepts, and every config
// CheckConfig accepts, the schema allows. Configs come from the knob spec:
// boundaries, values just outside them, non-integers for integer knobs,
// unknown choices, wrong types, missing and extra keys, and random mixes.
#include "tasks/knob_schema.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "core/source_dir.h"
#include "core/test_strict_schema.h"

namespace ctxbench {
namespace {

std::vector<std::string> BundledTaskNames() { return ListTasks({SourceDir() + "/tasks"}); }

// Values for one knob: inside its range (valid) and around or outside it.
std::vector<Json> Candidates(const Knob& k, std::mt19937& rng) {
  std::vector<Json> out = {Json(), true, Json::array(), Json::object(), "", "1"};
  if (k.type == KnobType::kChoice) {
    for (const std::string& c : k.choices) out.push_back(c);
    out.push_back(k.choices.front() + "_");
    out.push_back(0);
    return out;
  }
  const double inf = std::numeric_limits<double>::infinity();
  for (double v : {k.min, k.max, std::nextafter(k.min, -inf), std::nextafter(k.max, inf), k.min - 1,
                   k.max + 1, (k.min + k.max) / 2, -k.max, 0.0}) {
    out.push_back(v);
  }
  std::uniform_real_distribution<double> inside(k.min, k.max);
  for (int i = 0; i < 8; ++i) out.push_back(inside(rng));
  if (k.type == KnobType::kInt) {
    auto lo = static_cast<long long>(k.min), hi = static_cast<long long>(k.max);
    std::uniform_int_distribution<long long> ints(lo, hi);
    for (long long v : {lo, hi, lo - 1, hi + 1, ints(rng), ints(rng)}) out.push_back(v);
    out.push_back(static_cast<double>(ints(rng)));  // 3.0: an integer in JSON Schema too
    out.push_back(static_cast<double>(lo) + 0.5);
  }
  return out;
}

// Expects the schema and CheckConfig to agree on `config`.
void ExpectAgree(const TaskSpec& task, const Json& schema, const Json& config) {
  std::string schema_says = SchemaViolation(schema, config);
  Status validator_says = CheckConfig(task, config);
  EXPECT_EQ(schema_says.empty(), validator_says.ok())
      << task.name << " config " << config.dump() << "\n  schema: " << schema_says
      << "\n  validator: " << validator_says.error();
}

TEST(KnobSchemaTest, EveryBundledTaskSchemaIsStrict) {
  std::vector<std::string> names = BundledTaskNames();
  ASSERT_FALSE(names.empty());
  for (const std::string& name : names) {
    TaskSpec task = FindTask(name, {SourceDir() + "/tasks"});
    Json schema = KnobConfigSchema(task);
    EXPECT_EQ(StrictSchemaProblem(schema), "") << name << ": " << schema.dump();
    EXPECT_EQ(schema["required"].size(), task.knobs.size()) << name;
  }
}

// Checks both directions on boundary, outside and random configs of `task`.
void CheckAgreement(const TaskSpec& task, std::mt19937& rng) {
  Json schema = KnobConfigSchema(task);
  // The baseline is valid under both.
  EXPECT_EQ(SchemaViolation(schema, task.baseline), "") << task.name;
  // One knob at a time, the others at the baseline.
  std::vector<std::vector<Json>> candidates;
  for (const Knob& k : task.knobs) {
    candidates.push_back(Candidates(k, rng));
    for (const Json& v : candidates.back()) {
      Json config = task.baseline;
      config[k.name] = v;
      ExpectAgree(task, schema, config);
    }
    Json missing = task.baseline;
    missing.erase(k.name);
    ExpectAgree(task, schema, missing);
  }
  // Random mixes: each knob from its candidates, some valid and some not.
  int valid = 0, invalid = 0;
  for (int trial = 0; trial < 400; ++trial) {
    Json config = Json::object();
    for (size_t i = 0; i < task.knobs.size(); ++i) {
      const std::vector<Json>& c = candidates[i];
      // Odd trials draw from the later, mostly in-range candidates, so whole
      // configs are often valid.
      std::uniform_int_distribution<size_t> pick(trial % 2 ? c.size() / 2 : 0, c.size() - 1);
      config[task.knobs[i].name] = c[pick(rng)];
    }
    (CheckConfig(task, config).ok() ? valid : invalid)++;
    ExpectAgree(task, schema, config);
  }
  EXPECT_GT(valid, 0) << task.name << ": no random config was valid";
  EXPECT_GT(invalid, 0) << task.name << ": no random config was invalid";
  Json extra = task.baseline;
  extra["not_a_knob"] = 1;
  ExpectAgree(task, schema, extra);
  for (const Json& not_object : {Json(), Json::array(), Json(1), Json("max_depth")}) {
    ExpectAgree(task, schema, not_object);
  }
}

TEST(KnobSchemaTest, SchemaAndValidatorAgreeOnEveryBundledTask) {
  std::mt19937 rng(14);
  int tune_tasks = 0;
  for (const std::string& name : BundledTaskNames()) {
    TaskSpec task = FindTask(name, {SourceDir() + "/tasks"});
    if (task.knobs.empty()) continue;
    ++tune_tasks;
    CheckAgreement(task, rng);
  }
  EXPECT_GE(tune_tasks, 4);
}

// No bundled task has a choice knob yet; this spec does.
TEST(KnobSchemaTest, SchemaAndValidatorAgreeOnChoiceKnobs) {
  Json spec = ParseJson(R"({
    "name": "t", "description": "d",
    "data": {"kind": "csv", "path": "data.csv"},
    "target_column": "y", "problem": "regression", "metric": "mae",
    "knobs": [
      {"name": "max_depth", "type": "int", "min": 1, "max": 8},
      {"name": "eta", "type": "float", "min": 0.001, "max": 1, "log": true},
      {"name": "grow_policy", "type": "choice", "choices": ["depthwise", "lossguide"]}
    ],
    "baseline": {"max_depth": 2, "eta": 0.01, "grow_policy": "depthwise"},
    "faq": [{"keywords": ["metric"], "answer": "MAE."}]
  })",
                        "t.json");
  std::mt19937 rng(7);
  TaskSpec task = TaskSpecFromJson(spec, "t.json", ".");
  EXPECT_EQ(StrictSchemaProblem(KnobConfigSchema(task)), "");
  CheckAgreement(task, rng);
}

TEST(KnobSchemaTest, KnobValueSchemaNamesTypeAndRange) {
  Knob depth{"max_depth", KnobType::kInt, 1, 10, false, {}, "Tree depth."};
  Json s = KnobValueSchema(depth);
  EXPECT_EQ(s["type"], "integer");
  EXPECT_TRUE(s["minimum"].is_number_integer());
  EXPECT_EQ(s["minimum"], 1);
  EXPECT_EQ(s["maximum"], 10);
  EXPECT_EQ(s["description"], "Tree depth.");
  Knob eta{"eta", KnobType::kFloat, 0.005, 0.5, true, {}, ""};
  EXPECT_EQ(KnobValueSchema(eta)["type"], "number");
  EXPECT_EQ(KnobValueSchema(eta)["description"], "Log scale.");
  Knob booster{"booster", KnobType::kChoice, 0, 0, false, {"gbtree", "dart"}, ""};
  Json b = KnobValueSchema(booster);
  EXPECT_EQ(b["type"], "string");
  EXPECT_EQ(b["enum"], Json::array({"gbtree", "dart"}));
  EXPECT_FALSE(b.contains("minimum"));
}

}  // namespace
}  // namespace ctxbench
