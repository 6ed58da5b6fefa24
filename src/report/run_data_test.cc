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
#include "core/sqlite_db.h"
#include "core/test_scratch_dir.h"
#include "llm/model_call_error.h"
#include "llm/sim_model.h"
#include "store/sqlite_store.h"
#include "store/test_episode.h"
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

// Runs the FoldCases as real episodes into `run_dir`/results.db; returns
// what RunEpisode returned for each, by episode id.
std::map<std::string, Json> WriteFoldRun(const std::string& run_dir) {
  std::filesystem::create_directories(run_dir);
  TaskSpec task = FindTask("toy_tabular", {SourceDir() + "/tasks"});
  Splits splits =
      SplitDataset(LoadTaskData(task, "", 1), task.valid_fraction, task.test_fraction, 1);
  auto learner = MakeXgboostLearner(1);
  auto counter = MakeTokenCounter("estimate");
  std::map<std::string, Json> returned;
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
  store->FinishRun(kFoldRunId, RunStatus::kCompleteWithErrors, 1.7e9 + 60);
  store->Flush();
  EXPECT_EQ(store->Failure(), "");
  return returned;
}

TEST(RunDataTest, EachOutcomeIsTheFoldOfAllItsStoredEvents) {
  ScratchDir dir;
  std::string run_dir = dir.Path() + "/" + kFoldRunId;
  std::map<std::string, Json> returned = WriteFoldRun(run_dir);  // by episode id

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

// The value a column generated from `json`[`key`] must read, in
// EpisodeColumns' terms: null for absent or null, a boolean as 0/1, a number
// as itself, a string as itself, an object or array as its compact text.
Json ColumnValue(const Json& json, const std::string& key) {
  auto it = json.find(key);
  if (it == json.end() || it->is_null()) return nullptr;
  if (it->is_boolean()) return it->get<bool>() ? 1 : 0;
  if (it->is_number() || it->is_string()) return *it;
  return it->dump();
}

// Every generated column of `episodes` equals the field of the one record it
// is generated from, for real sim episodes (faults, a flaky learner, one
// that errors): a column and the outcome can never disagree.
TEST(RunDataTest, EachEpisodeColumnReadsItsStoredOutcome) {
  ScratchDir dir;
  std::string run_dir = dir.Path() + "/" + kFoldRunId;
  WriteFoldRun(run_dir);
  // Generated column -> (record, field). Every generated column is listed.
  const std::map<std::string, std::pair<std::string, std::string>> kSources = {
      {"metric", {"start", "metric"}},
      {"higher_is_better", {"start", "higher_is_better"}},
      {"target_metric", {"start", "target_metric"}},
      {"baseline_config_json", {"start", "baseline_config"}},
      {"baseline_metric", {"outcome", "baseline_metric"}},
      {"final_config_json", {"outcome", "final_config"}},
      {"best_valid_metric", {"outcome", "best_valid_metric"}},
      {"improvement_pct", {"outcome", "improvement_pct"}},
      {"success", {"outcome", "success"}},
      {"final_answer_valid", {"outcome", "final_answer_valid"}},
      {"test_metric", {"outcome", "test_metric"}},
      {"claimed_metric", {"outcome", "claimed_metric"}},
      {"iterations", {"outcome", "iterations"}},
      {"steps", {"outcome", "steps"}},
      {"llm_calls", {"outcome", "llm_calls"}},
      {"prompt_tokens", {"outcome", "prompt_tokens"}},
      {"completion_tokens", {"outcome", "completion_tokens"}},
      {"cost_usd", {"outcome", "cost_usd"}},
      {"wall_seconds", {"outcome", "wall_seconds"}},
      {"repeated_configs", {"outcome", "repeated_configs"}},
      {"invalid_actions", {"outcome", "invalid_actions"}},
      {"errors_recovered", {"outcome", "errors_recovered"}},
      {"stop_rule", {"outcome", "stop_rule"}},
      {"error", {"outcome", "error"}},
  };
  SqliteDb db(run_dir + "/results.db", SqliteAccess::kReadOnly);
  {
    Statement& st = db.Prepare("SELECT name FROM pragma_table_xinfo('episodes') WHERE hidden >= 2");
    size_t generated = 0;
    while (st.Step()) {
      ++generated;
      EXPECT_TRUE(kSources.count(st.Text(0))) << "no source listed for " << st.Text(0);
    }
    st.Reset();
    EXPECT_EQ(generated, kSources.size());
  }
  auto reader = SqliteStore::OpenReadOnly(run_dir + "/results.db");
  std::vector<EpisodeRow> rows = reader->Episodes(kFoldRunId);
  ASSERT_EQ(rows.size(), FoldCases().size());
  int nulls = 0, errors = 0;
  for (const EpisodeRow& row : rows) {
    std::vector<Event> events = reader->Events(row.episode_id);
    ASSERT_FALSE(events.empty());
    ASSERT_EQ(events.front().type, EventType::kEpisodeStart);
    const Json records[] = {events.front().data, ParseJson(row.outcome_json, row.episode_id)};
    // The stored outcome is the fold of the stored events (what the report reads).
    EXPECT_EQ(OutcomeFromJson(records[1], row.episode_id).ToJson(false),
              FoldOutcome(events).ToJson(false))
        << row.episode_id;
    Json columns = store_test::EpisodeColumns(db, row.episode_id);
    for (const auto& [column, source] : kSources) {
      const Json& record = records[source.first == "start" ? 0 : 1];
      EXPECT_EQ(columns[column], ColumnValue(record, source.second))
          << row.episode_id << " " << column;
      nulls += columns[column].is_null();
    }
    errors += columns["error"].is_string();
  }
  EXPECT_GT(nulls, 0);   // absent optionals were met (claimed, test metric, error)
  EXPECT_EQ(errors, 1);  // the episode whose model gave up
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
