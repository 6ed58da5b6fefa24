// A model that fills its replies from the schemas it is sent, and nothing
// else, makes no invalid action: the tools' and the proposal's schemas are
// what the harness accepts. The episode records the final-answer schema.
#include <gtest/gtest.h>

#include <random>

#include "agent/episode.h"
#include "agent/tool_schema.h"
#include "core/source_dir.h"
#include "core/test_strict_schema.h"
#include "events/test_event_collector.h"
#include "tasks/dataset.h"
#include "tasks/learner.h"

namespace ctxbench {
namespace {

// Agentic: calls train (final_answer when asked for it) with arguments drawn
// from the tool's schema. Controller: a proposal drawn from the output schema,
// with "action" fixed the same way.
class SchemaFiller final : public Model {
 public:
  std::string name() const override { return "schema-filler"; }
  Completion Complete(const CompletionRequest& request) override {
    requests.push_back(request);
    bool final_phase =
        request.messages.back().content.find("Give your final answer now") != std::string::npos;
    std::string want = final_phase ? "final_answer" : "train";
    Completion c;
    c.message.role = Role::kAssistant;
    if (!request.tools.empty()) {
      for (const ToolSpec& t : request.tools) {
        if (t.name != want) continue;
        c.message.tool_calls.push_back({"call_" + std::to_string(requests.size()), t.name,
                                        RandomInstance(t.parameters, rng_).dump()});
      }
    } else if (request.output_schema) {
      Json proposal = RandomInstance(request.output_schema->schema, rng_);
      proposal["action"] = want;
      c.message.content = proposal.dump();
    }
    c.usage = {100, 20, 0};
    return c;
  }
  std::vector<CompletionRequest> requests;

 private:
  std::mt19937 rng_{14};
};

class EpisodeSchemaTest : public ::testing::TestWithParam<Mode> {};

TEST_P(EpisodeSchemaTest, RepliesFilledFromTheSchemasAreNeverInvalid) {
  Mode mode = GetParam();
  TaskSpec task = FindTask("toy_tabular", {SourceDir() + "/tasks"});
  Dataset data = LoadTaskData(task, "", 1);
  Splits splits = SplitDataset(data, task.valid_fraction, task.test_fraction, 1);
  auto learner = MakeXgboostLearner(1);
  auto counter = MakeTokenCounter("estimate");
  auto policy = MakePolicy({"full", "full", Json::object()}, "test");
  SchemaFiller model;
  EventCollector sink;
  EpisodeSettings s;
  s.key = {"toy_tabular", "full", "schema-filler", ModeName(mode), 1};
  s.mode = mode;
  s.budgets = task.budgets;
  s.budgets.iterations = 4;
  s.context_tokens = 100000;
  EpisodeDeps d;
  d.task = &task;
  d.splits = &splits;
  d.learner = learner.get();
  d.model = &model;
  d.policy = policy.get();
  d.counter = counter.get();
  d.clock = &SystemClock::Get();
  d.sinks = {&sink};
  Outcome o = RunEpisode(s, d);

  EXPECT_EQ(o.status, EpisodeStatus::kComplete) << o.error;
  EXPECT_EQ(o.invalid_actions, 0);
  EXPECT_GE(o.history.size(), 1u);  // 4, or fewer when a random config meets the target
  EXPECT_TRUE(o.final_answer_valid);
  for (const CompletionRequest& r : model.requests) {
    // Controller requests carry the proposal schema; agentic ones the tools.
    EXPECT_EQ(r.output_schema.has_value(), mode == Mode::kController);
    EXPECT_EQ(r.tools.empty(), mode == Mode::kController);
  }
  ASSERT_FALSE(sink.events.empty());
  const Event& start = sink.events.front();
  ASSERT_EQ(start.type, EventType::kEpisodeStart);
  EXPECT_EQ(start.data["final_answer_schema"], FinalAnswerSchema(task, mode == Mode::kController));
  EXPECT_EQ(StrictSchemaProblem(start.data["final_answer_schema"]), "");
}

INSTANTIATE_TEST_SUITE_P(Modes, EpisodeSchemaTest,
                         ::testing::Values(Mode::kAgentic, Mode::kController),
                         [](const auto& info) { return ModeName(info.param); });

}  // namespace
}  // namespace ctxbench
