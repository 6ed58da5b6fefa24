// How an episode ends when its model fails: a call that fails for good ends
// it `error` and is still recorded with its attempts; a call cut short by
// cancellation ends it `interrupted`.
#include <gtest/gtest.h>

#include "agent/episode.h"
#include "core/cancel.h"
#include "core/source_dir.h"
#include "events/test_event_collector.h"
#include "llm/model_call_error.h"
#include "llm/sim_model.h"
#include "tasks/dataset.h"
#include "tasks/learner.h"

namespace ctxbench {
namespace {

// Answers as `sim` does for `answers` calls (each after one retried attempt),
// then fails the next call: with a ModelCallError after three attempts, or a
// CancelledError.
class FailingSim final : public Model {
 public:
  FailingSim(std::shared_ptr<const TokenCounter> counter, int answers, bool cancel)
      : sim_("sim", SimOptions{}, std::move(counter)), answers_(answers), cancel_(cancel) {}
  std::string name() const override { return "failing-sim"; }
  Completion Complete(const CompletionRequest& request) override {
    if (calls_++ < answers_) {
      Completion c = sim_.Complete(request);
      c.retried = {"HTTP 503: busy"};
      return c;
    }
    if (cancel_) throw CancelledError(name(), "interrupted");
    throw ModelCallError(name(), "gave up after 3 attempts",
                         {"HTTP 503: busy", "HTTP 503: busy", "HTTP 503: still busy"},
                         /*retries=*/2, request.purpose);
  }

 private:
  SimModel sim_;
  int answers_;
  bool cancel_;
  int calls_ = 0;
};

class EpisodeFailureTest : public ::testing::Test {
 protected:
  Outcome Run(Model& model) {
    EpisodeSettings s;
    s.key = {"toy_tabular", "full", model.name(), "controller", 1};
    s.mode = Mode::kController;
    s.budgets = task_.budgets;
    s.budgets.iterations = 4;
    EpisodeDeps d;
    d.task = &task_;
    d.splits = &splits_;
    d.learner = learner_.get();
    d.model = &model;
    d.policy = policy_.get();
    d.counter = counter_.get();
    d.clock = &SystemClock::Get();
    d.sinks = {&sink_};
    return RunEpisode(s, d);
  }

  TaskSpec task_ = FindTask("toy_tabular", {SourceDir() + "/tasks"});
  Splits splits_ =
      SplitDataset(LoadTaskData(task_, "", 1), task_.valid_fraction, task_.test_fraction, 1);
  std::unique_ptr<Learner> learner_ = MakeXgboostLearner(1);
  std::shared_ptr<const TokenCounter> counter_ = MakeTokenCounter("estimate");
  std::unique_ptr<Policy> policy_ = MakePolicy({"full", "full", Json::object()}, "test");
  EventCollector sink_;
};

TEST_F(EpisodeFailureTest, AFailedCallEndsTheEpisodeAndKeepsItsAttempts) {
  FailingSim model(counter_, /*answers=*/2, /*cancel=*/false);
  Outcome o = Run(model);
  EXPECT_EQ(o.status, EpisodeStatus::kError);
  EXPECT_NE(o.error.find("gave up after 3 attempts"), std::string::npos) << o.error;
  EXPECT_EQ(o.llm_calls, 2);        // answered calls
  EXPECT_EQ(o.llm_retries, 2 + 2);  // one per answered call, two of the failed one
  std::vector<const Event*> calls = sink_.Of(EventType::kLlmCall);
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0]->data.value("attempts", 0), 2);
  const Event& failed = *calls[2];
  EXPECT_FALSE(failed.message.has_value());
  EXPECT_EQ(failed.data.value("attempts", 0), 3);
  EXPECT_EQ(failed.data.value("purpose", ""), "agent");
  EXPECT_EQ(failed.data["retried"].size(), 2u);
  EXPECT_NE(failed.data.value("error", "").find("gave up"), std::string::npos);
  EXPECT_EQ(sink_.Of(EventType::kError).size(), 1u);
}

TEST_F(EpisodeFailureTest, ACancelledCallEndsTheEpisodeInterrupted) {
  FailingSim model(counter_, /*answers=*/1, /*cancel=*/true);
  Outcome o = Run(model);
  EXPECT_EQ(o.status, EpisodeStatus::kInterrupted);
  EXPECT_EQ(o.stop_rule, StopRule::kInterrupted);
  EXPECT_TRUE(sink_.Of(EventType::kError).empty());  // not an error
  std::vector<const Event*> end = sink_.Of(EventType::kEpisodeEnd);
  ASSERT_EQ(end.size(), 1u);
  EXPECT_EQ(end[0]->data["outcome"].value("status", ""), "interrupted");
}

}  // namespace
}  // namespace ctxbench
