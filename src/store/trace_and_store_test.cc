#include "store/trace_and_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/file.h"
#include "store/test_episode.h"

namespace ctxbench {
namespace {

using store_test::AppendSyntheticEpisode;
using store_test::ScratchDir;
using store_test::TestKey;

// Writes the same episode once through TraceAndStore and once through the
// two sinks side by side (the runner's old wiring), in two folders.
struct TwoWirings {
  ScratchDir dir;
  std::unique_ptr<SqliteStore> shared_store, separate_store;
  std::string trace_shared, trace_separate;
  std::vector<Event> log_events;

  explicit TwoWirings(int steps) {
    std::filesystem::create_directories(dir.Path("shared/traces"));
    std::filesystem::create_directories(dir.Path("separate/traces"));
    shared_store = SqliteStore::Open(dir.Path("shared/results.db"));
    separate_store = SqliteStore::Open(dir.Path("separate/results.db"));
    JsonlTraceWriter shared_traces(dir.Path("shared/traces"), {{"run_id", "r1"}});
    JsonlTraceWriter separate_traces(dir.Path("separate/traces"), {{"run_id", "r1"}});
    TraceAndStore views(shared_traces, *shared_store);
    views.OnRunStart({"r1", "n", "{}", 0});
    separate_traces.OnRunStart({"r1", "n", "{}", 0});
    separate_store->OnRunStart({"r1", "n", "{}", 0});
    EventLog a(TestKey("toy_tabular", 1), {&views});
    EventLog b(TestKey("toy_tabular", 1), {&separate_traces, separate_store.get()});
    AppendSyntheticEpisode(a, steps);
    AppendSyntheticEpisode(b, steps);
    EXPECT_EQ(views.Failure(), "");
    EXPECT_EQ(views.OnRunEnd({RunStatus::kComplete, 1}), "");
    separate_store->OnRunEnd({RunStatus::kComplete, 1});
    trace_shared = ReadFile(shared_traces.TracePath(a.key().Id()));
    trace_separate = ReadFile(separate_traces.TracePath(b.key().Id()));
    log_events = a.events();
  }
};

TEST(TraceAndStoreTest, WritesTheSameTraceAndRowsAsTheTwoSinks) {
  TwoWirings w(3);
  EXPECT_FALSE(w.trace_shared.empty());
  EXPECT_EQ(w.trace_shared, w.trace_separate);
  const std::string id = TestKey("toy_tabular", 1).Id();
  std::vector<Event> shared = w.shared_store->Events(id);
  std::vector<Event> separate = w.separate_store->Events(id);
  ASSERT_EQ(shared.size(), w.log_events.size());
  ASSERT_EQ(separate.size(), w.log_events.size());
  for (size_t i = 0; i < shared.size(); ++i) {
    EXPECT_EQ(EventToJson(shared[i]), EventToJson(separate[i])) << "seq " << i;
  }
  for (const char* table : {"episodes", "steps", "llm_calls", "experiments", "events"}) {
    EXPECT_EQ(w.shared_store->CountRows(table), w.separate_store->CountRows(table)) << table;
  }
}

TEST(TraceAndStoreTest, AFailedTraceIsTheFailureAndTheStoreStillWrites) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  // The traces folder does not exist: the trace cannot be opened.
  JsonlTraceWriter traces(dir.Path("missing/traces"), {{"run_id", "r1"}});
  TraceAndStore views(traces, *store);
  views.OnRunStart({"r1", "n", "{}", 0});
  EventLog log(TestKey("toy_tabular", 1), {&views});
  AppendSyntheticEpisode(log, 1);
  EXPECT_NE(views.Failure().find("traces: "), std::string::npos) << views.Failure();
  EXPECT_EQ(store->Failure(), "");
  EXPECT_EQ(store->Events(log.key().Id()).size(), log.size());
}

}  // namespace
}  // namespace ctxbench
