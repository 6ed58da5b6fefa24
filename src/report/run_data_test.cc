// The report's one record of an episode's outcome: EpisodeData::outcome, as
// LoadRunData reads it through the report's projection of the events, is the
// Outcome FoldOutcome makes from all of the episode's stored events, field
// for field, and the Outcome the episode itself returned.
#include "report/run_data.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agent/episode.h"
#include "agent/fold_outcome.h"
#include "core/source_dir.h"
#include "core/test_scratch_dir.h"
#include "llm/model_call_error.h"
#include "llm/sim_model.h"
#include "store/sqlite_store.h"
#include "tasks/dataset.h"
#include "tasks/learner.h"

namespace ctxbench {
namespace {

// Answers as `sim` does (with its seeded faults) for `answers` calls, then
// fails every call for good: the episode ends with status error.
class GivesUpSim final : public Model {
 public:
  GivesUpSim(SimOptions options, std::shared_ptr<const TokenCounter> counter, int answers)
      : sim_("sim", options, std::move(counter)), answers_(answers) {}
  std::string name() const override { return "sim"; }
  Completion Complete(const CompletionRequest& request) override {
    if (answers_ < 0 || calls_++ < answers_) return sim_.Complete(request);
    throw ModelCallError(name(), "gave up after 3 attempts", {"HTTP 503", "HTTP 503", "HTTP 503"},
                         /*retries=*/2, request.purpose);
  }

 private:
  SimModel sim_;
  int answers_;
  int calls_ = 0;
};

// The real learner, except that its 2nd and 4th trainings (the 1st is the
// baseline) fail: the episode sees failed experiments and recovers.
class TwoFailuresLearner final : public Learner {
 public:
  explicit TwoFailuresLearner(Learner& real) : real_(real) {}
  Evaluation Evaluate(const TaskSpec& task, const Splits& splits, const Json& config,
                      uint64_t seed) override {
    ++calls_;
    if (calls_ == 2 || calls_ == 4) return {false, "training failed", 0, 0, 0, false};
    return real_.Evaluate(task, splits, config, seed);
  }

 private:
  Learner& real_;
  int calls_ = 0;
};

// One episode of the run: its policy, mode and model behaviour.
struct FoldCase {
  PolicyConfig policy;
  Mode mode;
  SimOptions sim;
  int answers = -1;  // calls answered before the model gives up; -1: all
  uint64_t seed = 1;
};

std::vector<FoldCase> FoldCases() {
  SimOptions faulty;
  faulty.malformed_json_rate = 0.3;
  faulty.out_of_range_rate = 0.3;
  PolicyConfig full{"full", "full", Json::object()};
  PolicyConfig window{"window2", "window", {{"max_turns", 2}}};
  PolicyConfig summarize{"summarize", "summarize", {{"keep_turns", 1}, {"trigger_tokens", 300}}};
  return {
      {full, Mode::kAgentic, faulty, -1, 1},     {full, Mode::kController, faulty, -1, 2},
      {window, Mode::kAgentic, {}, -1, 1},       {summarize, Mode::kAgentic, {}, -1, 1},
      {summarize, Mode::kController, {}, -1, 2}, {window, Mode::kController, {}, 3, 3},
  };
}

constexpr char kFoldRunId[] = "20260101-000000-fold";

TEST(RunDataTest, EachOutcomeIsTheFoldOfAllItsStoredEvents) {
  ScratchDir dir;
  std::string run_dir = dir.Path() + "/" + kFoldRunId;
  std::filesystem::create_directories(run_dir);
  TaskSpec task = FindTask("toy_tabular", {SourceDir() + "/tasks"});
  Splits splits =
      SplitDataset(LoadTaskData(task, "", 1), task.valid_fraction, task.test_fraction, 1);
  auto learner = MakeXgboostLearner(1);
  auto counter = MakeTokenCounter("estimate");
  std::map<std::string, Json> returned;  // by episode id: what RunEpisode returned
  {
    auto store = SqliteStore::Open(run_dir + "/results.db");
    store->BeginRun(kFoldRunId, "fold", Json{{"name", "fold"}}.dump(), 1.7e9);
    for (const FoldCase& c : FoldCases()) {
      GivesUpSim model(c.sim, counter, c.answers);
      TwoFailuresLearner flaky(*learner);
      auto policy = MakePolicy(c.policy, "test");
      EpisodeSettings s;
      s.key = {task.name, c.policy.name, model.name(), ModeName(c.mode), c.seed};
      s.mode = c.mode;
      s.budgets = task.budgets;
      s.budgets.iterations = 6;
      s.context_tokens = 4000;
      EpisodeDeps d;
      d.task = &task;
      d.splits = &splits;
      d.learner = &flaky;
      d.model = &model;
      d.policy = policy.get();
      d.counter = counter.get();
      d.clock = &SystemClock::Get();
      d.sinks = {store.get()};
      returned[s.key.Id()] = RunEpisode(s, d).ToJson();
    }
    store->FinishRun(kFoldRunId, "complete_with_errors", 1.7e9 + 60);
    store->Flush();
    ASSERT_EQ(store->Failure(), "");
  }

  RunData run = LoadRunData(run_dir);
  ASSERT_EQ(run.Finished().size(), FoldCases().size());
  auto reader = SqliteStore::OpenReadOnly(run_dir + "/results.db");
  Outcome sum;  // what the episodes exercised, summed
  for (const EpisodeData* e : run.Finished()) {
    std::string id = e->key.Id();
    std::vector<Event> events = reader->Events(id);
    EXPECT_EQ(e->outcome.ToJson(), FoldOutcome(events).ToJson()) << id;
    EXPECT_EQ(e->outcome.ToJson(), returned.at(id)) << id;
    sum.invalid_actions += e->outcome.invalid_actions;
    sum.clarifications += e->outcome.clarifications;
    sum.errors_recovered += e->outcome.errors_recovered;
    sum.summaries += e->outcome.summaries;
    sum.repeated_configs += e->outcome.repeated_configs;
  }
  // The fields the projection could lose are exercised, not all zero.
  EXPECT_GT(sum.invalid_actions, 0);
  EXPECT_GT(sum.clarifications, 0);
  EXPECT_GT(sum.errors_recovered, 0);
  EXPECT_GT(sum.summaries, 0);
  ASSERT_EQ(run.errored.size(), 1u);
  EXPECT_EQ(run.errored[0].outcome.status, EpisodeStatus::kError);
  EXPECT_NE(run.errored[0].outcome.error.find("gave up"), std::string::npos);
}

TEST(RunDataTest, AClaimWithoutAMeasuredFinalMetricHasNoGap) {
  EpisodeData e;
  EXPECT_FALSE(e.claim_gap());  // no claim
  e.outcome.claimed_metric = 0.9;
  EXPECT_FALSE(e.claim_gap());  // the final evaluation measured nothing
  e.outcome.final_valid_metric = 0.85;
  ASSERT_TRUE(e.claim_gap());
  EXPECT_NEAR(*e.claim_gap(), 0.05, 1e-12);
}

}  // namespace
}  // namespace ctxbench
