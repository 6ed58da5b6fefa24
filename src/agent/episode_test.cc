// Episode accounting: every model call, the agent's and the summariser's, is
// counted once in the outcome, with its cache hit, cost and retried attempts.
#include "agent/episode.h"

#include <gtest/gtest.h>

#include "core/source_dir.h"
#include "events/test_event_collector.h"
#include "llm/sim_model.h"
#include "tasks/dataset.h"
#include "tasks/learner.h"

namespace ctxbench {
namespace {

// Answers as `sim` does, but marks every call a cache hit with a price and one
// retried attempt, as a cached OpenAI call that needed a retry would be.
class CachedSim final : public Model {
 public:
  explicit CachedSim(std::shared_ptr<const TokenCounter> counter)
      : sim_("sim", SimOptions{}, std::move(counter)) {}
  std::string name() const override { return "cached-sim"; }
  Completion Complete(const CompletionRequest& request) override {
    Completion c = sim_.Complete(request);
    c.cache_hit = true;
    c.cost_usd = 0.001;
    c.retried = {"HTTP 503: try again"};
    ++calls;
    if (request.purpose == "summarize") {
      ++summaries;
      Json messages = Json::array();
      for (const Message& m : request.messages) messages.push_back(MessageToJson(m));
      summarize_requests.push_back(std::move(messages));
    }
    return c;
  }
  int calls = 0, summaries = 0;
  std::vector<Json> summarize_requests;

 private:
  SimModel sim_;
};

TEST(EpisodeTest, SummariserCallsAreCountedLikeAgentCalls) {
  TaskSpec task = FindTask("toy_tabular", {SourceDir() + "/tasks"});
  Dataset data = LoadTaskData(task, "", 1);
  Splits splits = SplitDataset(data, task.valid_fraction, task.test_fraction, 1);
  auto learner = MakeXgboostLearner(1);
  auto counter = MakeTokenCounter("estimate");
  CachedSim model(counter);
  // A summary as soon as more than one turn is out of the window.
  auto policy =
      MakePolicy({"summarize", "summarize", {{"keep_turns", 1}, {"trigger_tokens", 300}}}, "test");
  EventCollector sink;

  EpisodeSettings s;
  s.key = {"toy_tabular", "summarize", "cached-sim", "controller", 1};
  s.mode = Mode::kController;
  s.budgets = task.budgets;
  s.budgets.iterations = 6;
  s.context_tokens = 4000;
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

  ASSERT_GT(model.summaries, 0) << "the policy never asked for a summary";
  EXPECT_EQ(o.summaries, model.summaries);
  EXPECT_EQ(o.llm_calls, model.calls);
  EXPECT_EQ(o.cache_hits, model.calls);
  EXPECT_EQ(o.llm_retries, model.calls);
  EXPECT_NEAR(o.cost_usd, 0.001 * model.calls, 1e-9);
  EXPECT_NEAR(o.cache_hit_cost_usd, o.cost_usd, 1e-9);
  EXPECT_EQ(o.cache_hit_prompt_tokens, o.prompt_tokens);
  EXPECT_EQ(o.cache_hit_completion_tokens, o.completion_tokens);
  long long logged_prompt = 0;
  int logged_calls = 0;
  for (const Event& e : sink.events) {
    if (e.type != EventType::kLlmCall) continue;
    ++logged_calls;
    logged_prompt += e.data.value("prompt_tokens", 0LL);
    EXPECT_TRUE(e.data.value("cache_hit", false));
  }
  EXPECT_EQ(logged_calls, model.calls);
  EXPECT_EQ(logged_prompt, o.prompt_tokens);

  // The summariser's requests are in the log as sent, and its events, stamped
  // when its calls ended, keep the log in time order.
  std::vector<Json> logged;
  double last = 0;
  for (const Event& e : sink.events) {
    EXPECT_GE(e.time, last) << EventTypeName(e.type) << " at seq " << e.seq;
    last = e.time;
    if (e.type != EventType::kLlmCall || e.data.value("purpose", "") != "summarize") continue;
    logged.push_back(e.data.value("messages", Json()));
    EXPECT_GE(e.data.value("latency_s", -1.0), 0.0);
  }
  EXPECT_EQ(logged, model.summarize_requests);
}

}  // namespace
}  // namespace ctxbench
