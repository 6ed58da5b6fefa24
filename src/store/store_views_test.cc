// The SQLite store and the JSONL traces are two views of the same event logs:
// fed together, they must agree event for event.
#include <gtest/gtest.h>

#include <thread>

#include "core/file.h"
#include "store/jsonl_trace.h"
#include "store/sqlite_store.h"
#include "store/test_episode.h"

namespace ctxbench {
namespace {

using store_test::AppendSyntheticEpisode;
using store_test::ScratchDir;
using store_test::TestKey;

TEST(StoreViewsTest, StoreEventsMatchTraceLinesForEpisodesOnTwoThreads) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "views", "{}", 0);
  JsonlTraceWriter traces(dir.Path(), {{"run_id", "r1"}});
  std::vector<EventSink*> sinks = {store.get(), &traces};
  std::vector<EpisodeKey> keys = {TestKey("toy_tabular", 1), TestKey("breast_cancer", 1),
                                  TestKey("toy_tabular", 2)};
  std::vector<std::thread> threads;
  for (size_t i = 0; i < keys.size(); ++i) {
    threads.emplace_back([&, i] {
      EventLog log(keys[i], sinks);
      AppendSyntheticEpisode(log, static_cast<int>(2 + i * 3));
    });
  }
  for (auto& t : threads) t.join();

  int64_t trace_events = 0;
  for (const EpisodeKey& key : keys) {
    std::string path = traces.TracePath(key.Id());
    std::string text = ReadFile(path);
    int64_t lines = 0;
    for (char c : text) lines += c == '\n';
    EXPECT_EQ(store->CountRows("events", key.Id()), lines - 1) << key.Id();
    Trace trace = ReadTrace(path);
    std::vector<Event> stored = store->Events(key.Id());
    ASSERT_EQ(stored.size(), trace.events.size());
    for (size_t i = 0; i < stored.size(); ++i) {
      EXPECT_EQ(EventToJson(stored[i]), EventToJson(trace.events[i]));
    }
    trace_events += static_cast<int64_t>(trace.events.size());
  }
  EXPECT_EQ(store->CountRows("events"), trace_events);
  EXPECT_EQ(store->CompletedEpisodes("r1").size(), keys.size());
}

}  // namespace
}  // namespace ctxbench
