// The episode loop with fakes on every side: a scripted model, a fake
// experimenter, a fake learner, a fake process runner and a FakeClock. Each
// stop rule, invalid actions inside an episode, the final evaluation's
// failures and the error boundary.
#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>

#include "agent/episode.h"
#include "agent/experimenter.h"
#include "agent/fold_outcome.h"
#include "agent/tool_schema.h"
#include "core/error.h"
#include "core/file.h"
#include "core/test_scratch_dir.h"
#include "events/test_event_collector.h"
#include "tasks/learner.h"

namespace ctxbench {
namespace {

ToolCall Call(const std::string& name, const Json& args) {
  static int id = 0;
  return {"call" + std::to_string(++id), name, args.dump()};
}

// Replies with the scripted tool calls in order (then notes), each with the
// given usage and cost; advances `clock` by `seconds` per call.
class ScriptedModel final : public Model {
 public:
  ScriptedModel(std::vector<ToolCall> script, FakeClock& clock, double seconds = 0)
      : script_(std::move(script)), clock_(clock), seconds_(seconds) {}
  std::string name() const override { return "scripted"; }
  Completion Complete(const CompletionRequest&) override {
    clock_.Advance(seconds_);
    Completion c;
    c.message.role = Role::kAssistant;
    c.message.tool_calls = {calls_ < script_.size() ? script_[calls_]
                                                    : Call("note", {{"text", "thinking"}})};
    ++calls_;
    c.usage.prompt_tokens = 100;
    c.usage.completion_tokens = 50;
    c.cost_usd = 0.01;
    return c;
  }
  size_t calls() const { return calls_; }

 private:
  std::vector<ToolCall> script_;
  FakeClock& clock_;
  double seconds_;
  size_t calls_ = 0;
};

// Baseline 0.5 (target 0.55, higher is better); experiment n scores
// metrics[n-1]; a config holding "bad" is refused.
class FakeExperimenter final : public Experimenter {
 public:
  explicit FakeExperimenter(const TaskSpec& task) : task_(task) {}
  std::vector<ToolSpec> Tools() const override { return AgentTools(task_); }
  Baseline Begin(int) override {
    Baseline b;
    b.config = {{"max_depth", 3}};
    b.metric = 0.5;
    b.test_metric = 0.48;
    b.target_metric = 0.55;
    b.statement = "Tune it.";
    return b;
  }
  ExperimentResult Experiment(const Action& a, int number) override {
    ExperimentResult r;
    if (a.args["config"].contains("bad")) {
      r.refused = "unknown knob 'bad'";
      return r;
    }
    r.data.experiment = number;
    r.data.config = a.args["config"];
    r.data.ok = true;
    r.data.valid_metric = metrics.at(number - 1);
    r.text = "Experiment " + std::to_string(number) + " done.";
    return r;
  }
  Expected<Json> AnswerConfig(const Action& a) const override {
    return a.args.value("config", Json::object());
  }
  FinalEvaluationData FinalEvaluation(const Json& chosen) override {
    if (final_throws_error) ThrowRuntime("fake", "the learner crashed");
    if (final_throws_bug) throw std::logic_error("a bug");
    FinalEvaluationData d;
    d.config = chosen;
    d.ok = final_ok;
    if (final_ok) {
      d.valid_metric = 0.6;
      d.test_metric = 0.58;
    } else {
      d.error = "the final config does not train";
    }
    return d;
  }

  std::vector<double> metrics = {0.52, 0.6, 0.61};
  bool final_ok = true;
  bool final_throws_error = false;
  bool final_throws_bug = false;

 private:
  const TaskSpec& task_;
};

TaskSpec TuneTask() {
  TaskSpec t;
  t.name = "fake";
  t.metric = "accuracy";
  t.higher_is_better = true;
  t.target_improvement_pct = 10;
  Knob k;
  k.name = "max_depth";
  k.type = KnobType::kInt;
  k.min = 1;
  k.max = 10;
  t.knobs = {k};
  t.baseline = {{"max_depth", 3}};
  return t;
}

class EpisodeLoopTest : public ::testing::Test {
 protected:
  Outcome Run(Model& model, Experimenter* experimenter, Budgets budgets = Budgets{}) {
    EpisodeSettings s;
    s.key = {"fake", "full", model.name(), "agentic", 1};
    s.mode = Mode::kAgentic;
    s.budgets = budgets;
    s.context_tokens = 100000;
    EpisodeDeps d;
    d.task = &task_;
    d.splits = &splits_;
    d.learner = learner_;
    d.model = &model;
    d.policy = policy_.get();
    d.counter = counter_.get();
    d.clock = &clock_;
    d.sinks = {&sink_};
    d.experimenter = experimenter;
    return RunEpisode(s, d);
  }

  TaskSpec task_ = TuneTask();
  Splits splits_;
  Learner* learner_ = nullptr;
  std::shared_ptr<const TokenCounter> counter_ = MakeTokenCounter("estimate");
  std::unique_ptr<Policy> policy_ = MakePolicy({"full", "full", Json::object()}, "test");
  FakeClock clock_;
  EventCollector sink_;
};

// A model that never trains: only a budget ends the episode.
Budgets Endless() {
  Budgets b;
  b.iterations = 100;
  b.steps_per_iteration = 100;
  return b;
}

TEST_F(EpisodeLoopTest, TokensStopRule) {
  FakeExperimenter x(task_);
  ScriptedModel model({}, clock_);
  Budgets b = Endless();
  b.tokens = 400;  // 150 per call: the third call reaches it
  Outcome o = Run(model, &x, b);
  EXPECT_EQ(o.status, EpisodeStatus::kComplete);
  EXPECT_EQ(o.stop_rule, StopRule::kTokens);
  EXPECT_EQ(model.calls(), 3u);
  EXPECT_EQ(o.prompt_tokens + o.completion_tokens, 450);
  EXPECT_EQ(o.llm_calls, 3);
}

TEST_F(EpisodeLoopTest, CostStopRule) {
  FakeExperimenter x(task_);
  ScriptedModel model({}, clock_);
  Budgets b = Endless();
  b.cost_usd = 0.025;
  Outcome o = Run(model, &x, b);
  EXPECT_EQ(o.stop_rule, StopRule::kCost);
  EXPECT_EQ(model.calls(), 3u);
  EXPECT_NEAR(o.cost_usd, 0.03, 1e-12);
}

TEST_F(EpisodeLoopTest, WallSecondsStopRule) {
  FakeExperimenter x(task_);
  ScriptedModel model({}, clock_, /*seconds=*/10);
  Budgets b = Endless();
  b.wall_seconds = 25;
  Outcome o = Run(model, &x, b);
  EXPECT_EQ(o.stop_rule, StopRule::kWallSeconds);
  EXPECT_EQ(model.calls(), 3u);
  EXPECT_DOUBLE_EQ(o.wall_seconds, 30);
}

TEST_F(EpisodeLoopTest, InvalidActionsInsideAnEpisodeAreCountedAndRecoveredFrom) {
  FakeExperimenter x(task_);
  ScriptedModel model({Call("fly", Json::object()),                      // unknown tool
                       Call("train", {{"config", {{"bad", 1}}}}),        // refused config
                       Call("train", {{"config", {{"max_depth", 5}}}}),  // experiment 1
                       Call("train", {{"config", {{"max_depth", 6}}}}),  // experiment 2
                       Call("final_answer", {{"config", {{"max_depth", 6}}}, {"metric", 0.6}})},
                      clock_);
  Budgets b;
  b.iterations = 2;
  b.steps_per_iteration = 4;
  Outcome o = Run(model, &x, b);
  EXPECT_EQ(o.status, EpisodeStatus::kComplete);
  EXPECT_EQ(o.invalid_actions, 2);
  EXPECT_EQ(o.errors_recovered, 1);  // the first experiment after the refusals
  ASSERT_EQ(o.history.size(), 2u);
  EXPECT_EQ(o.history[0].number, 1);  // a refused config takes no number
  EXPECT_DOUBLE_EQ(o.best_valid_metric, 0.6);
  EXPECT_EQ(o.stop_rule, StopRule::kTargetMet);
  EXPECT_TRUE(o.final_answer_valid);
  EXPECT_TRUE(o.success);
  EXPECT_EQ(sink_.Count(EventType::kInvalidAction), 2);
}

TEST_F(EpisodeLoopTest, TheOutcomeIsTheFoldOfTheEvents) {
  FakeExperimenter x(task_);
  ScriptedModel model({Call("train", {{"config", {{"max_depth", 5}}}}),
                       Call("final_answer", {{"config", {{"max_depth", 5}}}, {"metric", 0.52}})},
                      clock_, 1);
  Outcome o = Run(model, &x);
  ASSERT_EQ(sink_.events.back().type, EventType::kEpisodeEnd);
  // Resume and the report fold the stored events, episode.end included.
  EXPECT_EQ(FoldOutcome(sink_.events).ToJson(), o.ToJson());
  EXPECT_EQ(sink_.events.back().data["outcome"], o.ToJson());
}

TEST_F(EpisodeLoopTest, AFailedFinalEvaluationHasNoScoreNotZero) {
  FakeExperimenter x(task_);
  x.final_ok = false;
  ScriptedModel model({Call("final_answer", {{"config", {{"max_depth", 4}}}, {"metric", 0.5}})},
                      clock_);
  Outcome o = Run(model, &x);
  EXPECT_EQ(o.status, EpisodeStatus::kComplete);
  EXPECT_FALSE(o.final_valid_metric.has_value());
  EXPECT_FALSE(o.test_metric.has_value());
  EXPECT_EQ(o.final_error, "the final config does not train");
  EXPECT_FALSE(o.success);
  Json j = o.ToJson();
  EXPECT_TRUE(j["test_metric"].is_null());
  EXPECT_TRUE(j["final_valid_metric"].is_null());
}

TEST_F(EpisodeLoopTest, AnErrorInTheFinalEvaluationIsInsideTheBoundary) {
  FakeExperimenter x(task_);
  x.final_throws_error = true;
  ScriptedModel model({Call("final_answer", {{"config", {{"max_depth", 4}}}, {"metric", 0.5}})},
                      clock_);
  Outcome o = Run(model, &x);
  EXPECT_EQ(o.status, EpisodeStatus::kError);
  EXPECT_EQ(o.stop_rule, StopRule::kError);
  EXPECT_NE(o.error.find("the learner crashed"), std::string::npos);
  EXPECT_EQ(sink_.events.back().type, EventType::kEpisodeEnd);
}

TEST_F(EpisodeLoopTest, AnythingButAnErrorIsABugAndPropagates) {
  FakeExperimenter x(task_);
  x.final_throws_bug = true;
  ScriptedModel model({Call("final_answer", {{"config", {{"max_depth", 4}}}, {"metric", 0.5}})},
                      clock_);
  EXPECT_THROW(Run(model, &x), std::logic_error);
}

// A learner that trains every config to 0.5 and fails the final evaluation
// (the fourth call).
class FakeLearner final : public Learner {
 public:
  Evaluation Evaluate(const TaskSpec&, const Splits&, const Json&, uint64_t) override {
    Evaluation e;
    e.ok = ++calls != 3;
    e.valid_metric = e.ok ? 0.5 : 0;
    e.test_metric = e.ok ? 0.49 : 0;
    if (!e.ok) e.error = "out of memory";
    return e;
  }
  int calls = 0;
};

TEST_F(EpisodeLoopTest, TuneTasksFailedFinalTrainingIsRecordedNotZero) {
  FakeLearner learner;
  learner_ = &learner;
  ScriptedModel model({Call("train", {{"config", {{"max_depth", 5}}}}),
                       Call("final_answer", {{"config", {{"max_depth", 5}}}, {"metric", 0.5}})},
                      clock_);
  Budgets b;
  b.iterations = 1;
  Outcome o = Run(model, nullptr, b);
  EXPECT_EQ(learner.calls, 3);  // baseline, experiment 1, final
  EXPECT_EQ(o.status, EpisodeStatus::kComplete);
  EXPECT_FALSE(o.test_metric.has_value());
  EXPECT_NE(o.final_error.find("out of memory"), std::string::npos) << o.final_error;
  EXPECT_DOUBLE_EQ(*o.baseline_test_metric, 0.49);
}

// Runs the task's command: writes metrics.json with accuracy 0.5.
class MetricsRunner final : public ProcessRunner {
 public:
  ProcessResult Run(const ProcessRequest& request) override {
    ++runs;
    WriteFileAtomic((std::filesystem::path(request.cwd) / "metrics.json").string(),
                    "{\"accuracy\": 0.5}");
    ProcessResult r;
    r.ok = true;
    r.exit_code = 0;
    return r;
  }
  int runs = 0;
};

TEST_F(EpisodeLoopTest, AWorkspaceTaskWithoutEvaluationIsNeverScored) {
  ScratchDir scratch;
  std::string dir = scratch.Path("ws");
  std::filesystem::create_directories(dir);
  WriteFileAtomic(dir + "/train.py", "print('hi')\n");
  task_.kind = "workspace";
  task_.knobs.clear();
  task_.workspace.run_command = {"python3", "train.py"};
  task_.workspace.tools = {"run", "final_answer"};
  MetricsRunner runner;
  ScriptedModel model({Call("run", Json::object()), Call("final_answer", {{"metric", 0.5}})},
                      clock_);
  EpisodeSettings s;
  s.key = {"ws", "full", model.name(), "agentic", 1};
  s.mode = Mode::kAgentic;
  s.budgets.iterations = 1;
  EpisodeDeps d;
  d.task = &task_;
  d.splits = &splits_;
  d.model = &model;
  d.policy = policy_.get();
  d.counter = counter_.get();
  d.clock = &clock_;
  d.sinks = {&sink_};
  d.workspace_dir = dir;
  d.runner = &runner;
  // The harness's evaluation decides (trusted scoring): without one, the
  // starter cannot be scored and the episode is an error, never a 0.
  Outcome o = RunEpisode(s, d);
  EXPECT_EQ(o.status, EpisodeStatus::kError);
  EXPECT_NE(o.error.find("the task has no evaluation"), std::string::npos) << o.error;
  EXPECT_EQ(runner.runs, 1);  // the starter only
  EXPECT_FALSE(o.baseline_test_metric.has_value());
  EXPECT_FALSE(o.test_metric.has_value());
  EXPECT_FALSE(o.final_valid_metric.has_value());
  EXPECT_FALSE(o.success);
  EXPECT_EQ(sink_.Count(EventType::kFinalEvaluation), 0);
}

}  // namespace
}  // namespace ctxbench
