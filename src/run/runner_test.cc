// The runner through its real parts (sim model, store, traces, report) with
// a view that fails mid-run: the sinks' never-throw rule end to end.
#include "run/runner.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>

#include "core/json.h"
#include "core/test_scratch_dir.h"
#include "store/sqlite_store.h"

namespace ctxbench {
namespace {

// A live view that fails at its `fail_at`-th event (1-based) as a sink does:
// it keeps the first failure and never throws; it sees the later events and
// does nothing with them.
class ViewFailingAtEvent : public RunWatcher {
 public:
  explicit ViewFailingAtEvent(int fail_at) : fail_at_(fail_at) {}
  void OnEvent(const EpisodeKey& key, const Event& event) override {
    if (++seen_ != fail_at_) return;
    std::lock_guard<std::mutex> lock(mu_);
    failure_ = "test view: cannot show event " + std::to_string(event.seq) + " of " + key.Id();
  }
  std::string Failure() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return failure_;
  }
  void OnGridStart(const GridInfo&) override {}
  void OnGridEnd() override {}
  int seen() const { return seen_; }

 private:
  const int fail_at_;
  std::atomic<int> seen_{0};
  mutable std::mutex mu_;
  std::string failure_;
};

RunConfig TwoSimEpisodes(const std::string& out_dir) {
  Json config = Json::parse(R"({
    "name": "sinkfail", "tasks": ["toy_tabular"],
    "models": [{"name": "sim", "kind": "sim"}],
    "context_policies": [{"name": "full", "type": "full"}],
    "reasoning_modes": ["agentic"], "seeds": [1, 2], "num_steps": 4, "learner_threads": 1})");
  config["out_dir"] = out_dir;
  return RunConfigFromJson(config, "test config");
}

// A view failing after a few events of the first episode: the run ends
// `failed` naming the failure (RunOutcome, run.json, the store's run row:
// what the CLI prints on stderr and exits 1 for), while every episode
// keeps its own outcome: none is turned into an error by the view.
TEST(RunnerSinkFailureTest, AViewFailingMidRunFailsTheRunAndNoEpisode) {
  ScratchDir dir;
  ViewFailingAtEvent view(5);
  RunOptions options;
  options.progress = false;
  options.watcher = &view;
  RunOutcome run = ExecuteRun(TwoSimEpisodes(dir.Path("runs")), options);

  const std::string failure = view.Failure();
  ASSERT_FALSE(failure.empty());
  EXPECT_GT(view.seen(), 5) << "the episodes went on after the view failed";
  EXPECT_EQ(run.end.status, RunStatus::kFailed);
  EXPECT_EQ(run.end.reason, "run failed: " + failure);
  EXPECT_EQ(RunExitCode(run.end.status), 1);

  ASSERT_EQ(run.episodes.size(), 2u);
  for (const EpisodeResult& e : run.episodes) {
    EXPECT_EQ(e.outcome.status, EpisodeStatus::kComplete) << e.key.Id() << ": " << e.outcome.error;
    EXPECT_EQ(e.outcome.error, "");
  }
  EXPECT_EQ(run.counts.complete, 2u);
  EXPECT_EQ(run.counts.errors, 0u);

  Json run_json = ReadJsonFile(run.dir + "/run.json");
  EXPECT_EQ(run_json["status"], "failed");
  EXPECT_EQ(run_json["status_reason"], run.end.reason);
  auto store = SqliteStore::OpenReadOnly(run.dir + "/results.db");
  std::optional<RunRow> row = store->Run(run_json["run_id"].get<std::string>());
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->status, RunStatus::kFailed);
  std::vector<EpisodeRow> rows = store->Episodes(row->run_id);
  ASSERT_EQ(rows.size(), 2u);
  for (const EpisodeRow& r : rows) EXPECT_EQ(r.status, EpisodeStatus::kComplete) << r.episode_id;
}

}  // namespace
}  // namespace ctxbench
