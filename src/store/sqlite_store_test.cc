#include "store/sqlite_store.h"

#include <gtest/gtest.h>

#include <functional>
#include <thread>

#include "core/error.h"
#include "core/file.h"
#include "core/sqlite_db.h"
#include "store/jsonl_trace.h"
#include "store/store_schema.h"
#include "store/test_episode.h"

namespace ctxbench {
namespace {

using store_test::AppendSyntheticEpisode;
using store_test::MakeEvent;
using store_test::ScratchDir;
using store_test::TestKey;

// Runs two episodes (3 and 5 steps) on two threads into `sinks`.
void RunTwoEpisodes(const std::vector<EventSink*>& sinks) {
  std::thread a([&] {
    EventLog log(TestKey("toy_tabular", 1), sinks);
    AppendSyntheticEpisode(log, 3);
  });
  std::thread b([&] {
    EventLog log(TestKey("toy_tabular", 2), sinks);
    AppendSyntheticEpisode(log, 5);
  });
  a.join();
  b.join();
}

// Statuses are parsed where they are read: a name the store never writes
// is an input error naming the file, the row and the value.
TEST(SqliteStoreTest, AnUnknownStatusInARowIsAnInputErrorNamingFileRowAndValue) {
  ScratchDir dir;
  const std::string path = dir.Path("results.db");
  {
    auto store = SqliteStore::Open(path);
    store->BeginRun("r1", "smoke", "{}", 1.7e9);
    RunTwoEpisodes({store.get()});
    store->FinishRun("r1", RunStatus::kComplete, 1.7e9 + 60);
  }
  auto expect_error = [&](const std::function<void()>& read, const std::string& row,
                          const std::string& value) {
    try {
      read();
      ADD_FAILURE() << "no error for " << value;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kInput);
      std::string what = e.what();
      for (const std::string& part : {path, row, "'" + value + "'"}) {
        EXPECT_NE(what.find(part), std::string::npos) << what;
      }
    }
  };
  {
    SqliteDb db(path);
    db.Exec("UPDATE runs SET status = 'done'");
    db.Exec("UPDATE episodes SET status = 'Complete' WHERE seed = 2");
  }
  auto store = SqliteStore::OpenReadOnly(path);
  expect_error([&] { store->Run("r1"); }, "the runs row of r1", "done");
  expect_error([&] { store->Episodes("r1"); },
               "the episodes row of " + TestKey("toy_tabular", 2).Id(), "Complete");
}

TEST(SqliteStoreTest, DerivesRowsOfTwoEpisodesWrittenFromTwoThreads) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "smoke", R"({"seeds":[1,2]})", 1.7e9);
  RunTwoEpisodes({store.get()});
  store->FinishRun("r1", RunStatus::kComplete, 1.7e9 + 60);

  EXPECT_EQ(store->CountRows("runs"), 1);
  EXPECT_EQ(store->CountRows("episodes"), 2);
  EXPECT_EQ(store->CountRows("steps"), 3 + 5);
  EXPECT_EQ(store->CountRows("llm_calls"), 3 + 5);
  EXPECT_EQ(store->CountRows("experiments"), 3 + 5);
  EXPECT_EQ(store->CountRows("events"), (3 + 6 * 3) + (3 + 6 * 5));
  std::string id1 = TestKey("toy_tabular", 1).Id();
  EXPECT_EQ(store->CountRows("events", id1), 3 + 6 * 3);
  EXPECT_EQ(store->CountRows("steps", id1), 3);

  auto run = store->Run("r1");
  ASSERT_TRUE(run.has_value());
  EXPECT_EQ(run->name, "smoke");
  EXPECT_EQ(run->status, RunStatus::kComplete);
  EXPECT_EQ(run->config_json, R"({"seeds":[1,2]})");
  EXPECT_DOUBLE_EQ(*run->finished_at, 1.7e9 + 60);
  EXPECT_EQ(run->ctxbench_version, CTXBENCH_VERSION);

  auto episodes = store->Episodes("r1");
  ASSERT_EQ(episodes.size(), 2u);
  const EpisodeRow& e = episodes[1];  // ordered by id: seed 2 second
  EXPECT_EQ(e.episode_id, TestKey("toy_tabular", 2).Id());
  EXPECT_EQ(e.key, TestKey("toy_tabular", 2));
  EXPECT_EQ(e.run_id, "r1");
  EXPECT_EQ(e.status, EpisodeStatus::kComplete);
  EXPECT_TRUE(e.started_at.has_value());
  EXPECT_TRUE(e.ended_at.has_value());
  // The columns SQL sees, generated from the start's data and the outcome.
  SqliteDb db(dir.Path("results.db"));
  Json c = store_test::EpisodeColumns(db, e.episode_id);
  EXPECT_EQ(c["metric"], "accuracy");
  EXPECT_EQ(c["higher_is_better"], 1);
  EXPECT_DOUBLE_EQ(c["baseline_metric"].get<double>(), 0.8);
  EXPECT_DOUBLE_EQ(c["target_metric"].get<double>(), 0.88);
  EXPECT_DOUBLE_EQ(c["best_valid_metric"].get<double>(), 0.85);
  EXPECT_DOUBLE_EQ(c["improvement_pct"].get<double>(), 6.25);
  EXPECT_EQ(c["success"], 0);
  EXPECT_EQ(c["final_answer_valid"], 1);
  EXPECT_DOUBLE_EQ(c["test_metric"].get<double>(), 0.84);
  EXPECT_EQ(c["iterations"], 5);
  EXPECT_EQ(c["steps"], 5);
  EXPECT_EQ(c["llm_calls"], 5);
  EXPECT_EQ(c["prompt_tokens"], 1000);
  EXPECT_EQ(c["completion_tokens"], 100);
  EXPECT_DOUBLE_EQ(c["wall_seconds"].get<double>(), 1.5);
  EXPECT_EQ(c["stop_rule"], "iterations");
  EXPECT_EQ(c["repeated_configs"], 0);
  EXPECT_EQ(c["final_config_json"], R"({"max_depth":8})");
  EXPECT_EQ(c["baseline_config_json"], R"({"max_depth":3})");
  EXPECT_EQ(ParseJson(e.outcome_json, "outcome")["final_config"]["max_depth"], 8);
}

TEST(SqliteStoreTest, StoredEventsRoundTripTheLog) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 2);
  std::vector<Event> stored = store->Events(log.key().Id());
  ASSERT_EQ(stored.size(), log.size());
  for (size_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(EventToJson(stored[i]), EventToJson(log.events()[i])) << "seq " << i;
  }
}

TEST(SqliteStoreTest, ProjectedEventsParseOnlyWhatTheReaderAsks) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 3);
  EventProjection projection;
  projection.types = {EventType::kExperiment, EventType::kContext, EventType::kLlmCall};
  projection.drop[EventType::kContext] = {"$.data.manifest"};
  projection.drop[EventType::kLlmCall] = {"$.message"};
  std::vector<Event> read = store->Events(log.key().Id(), projection);
  ASSERT_EQ(read.size(), log.size());
  int kept = 0, trimmed = 0, envelopes = 0;
  for (size_t i = 0; i < read.size(); ++i) {
    const Event& got = read[i];
    const Event& want = log.events()[i];
    // The envelope of every event, from the row's columns or its JSON.
    EXPECT_EQ(got.seq, want.seq);
    EXPECT_EQ(got.type, want.type);
    EXPECT_EQ(got.iteration, want.iteration);
    EXPECT_EQ(got.step, want.step);
    EXPECT_EQ(got.time, want.time);
    if (want.type == EventType::kExperiment) {
      EXPECT_EQ(EventToJson(got), EventToJson(want)) << "seq " << i;
      ++kept;
    } else if (want.type == EventType::kContext) {
      Json data = want.data;
      data.erase("manifest");
      EXPECT_TRUE(want.data.contains("manifest"));
      EXPECT_EQ(got.data, data) << "seq " << i;
      ++trimmed;
    } else if (want.type == EventType::kLlmCall) {
      EXPECT_TRUE(want.message.has_value());
      EXPECT_FALSE(got.message.has_value());
      EXPECT_EQ(got.data, want.data) << "seq " << i;
      ++trimmed;
    } else {
      EXPECT_FALSE(got.message.has_value()) << "seq " << i;
      EXPECT_EQ(got.data, Json::object()) << "seq " << i;
      ++envelopes;
    }
  }
  EXPECT_EQ(kept, 3);
  EXPECT_EQ(trimmed, 6);
  EXPECT_GT(envelopes, 0);
  // Nothing asked: envelopes alone.
  for (const Event& e : store->Events(log.key().Id(), EventProjection{})) {
    EXPECT_EQ(e.data, Json::object());
  }
}

TEST(SqliteStoreTest, ProjectedEventsStillRefuseAMalformedRow) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 1);
  store->Flush();
  {
    SqliteDb db(dir.Path("results.db"));
    db.Exec("UPDATE events SET json = '{\"seq\": 2, ' WHERE type = 'op.context'");
  }
  EventProjection projection;
  projection.types = {EventType::kContext};
  projection.drop[EventType::kContext] = {"$.data.manifest"};
  try {
    store->Events(log.key().Id(), projection);
    FAIL() << "a malformed row was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("seq 2"), std::string::npos) << e.what();
  }
  // A type the reader does not ask for is not parsed, so it cannot fail.
  projection.types = {EventType::kExperiment};
  EXPECT_EQ(store->Events(log.key().Id(), projection).size(), log.size());
}

// A newer writer's event type (a store written by a later ctxbench) is
// skipped by every read, whole or projected, as EventFromJson skips it in a
// trace; the events around it are read as they were written.
TEST(SqliteStoreTest, ReadsSkipAnEventTypeOfANewerWriter) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 2);
  store->Flush();
  const long long kFuture = 1;
  ASSERT_GT(log.size(), 2u);
  {
    SqliteDb db(dir.Path("results.db"));
    db.Exec(
        "UPDATE events SET type = 'op.from_the_future', "
        "json = json_set(json, '$.event', 'op.from_the_future') WHERE seq = " +
        std::to_string(kFuture));
  }
  std::vector<Event> want;
  for (const Event& e : log.events()) {
    if (e.seq != kFuture) want.push_back(e);
  }
  std::vector<Event> whole = store->Events(log.key().Id());
  ASSERT_EQ(whole.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(EventToJson(whole[i]), EventToJson(want[i])) << "seq " << want[i].seq;
  }
  EventProjection projection;
  projection.types = {EventType::kExperiment};
  std::vector<Event> projected = store->Events(log.key().Id(), projection);
  ASSERT_EQ(projected.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(projected[i].seq, want[i].seq);
}

TEST(SqliteStoreTest, CompletedEpisodesAndDiscardForResume) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog done(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(done, 2);
  EventLog cut(TestKey("toy_tabular", 2), {store.get()});
  AppendSyntheticEpisode(cut, 2, /*finish=*/false);

  EXPECT_EQ(store->CompletedEpisodes("r1"), std::set<std::string>{done.key().Id()});
  EXPECT_TRUE(store->CompletedEpisodes("other").empty());
  auto episodes = store->Episodes("r1");
  ASSERT_EQ(episodes.size(), 2u);
  EXPECT_EQ(episodes[1].status, std::nullopt);
  {
    store->Flush();
    SqliteDb db(dir.Path("results.db"));
    Json running = store_test::EpisodeColumns(db, cut.key().Id());
    EXPECT_TRUE(running["best_valid_metric"].is_null());
    EXPECT_DOUBLE_EQ(running["baseline_metric"].get<double>(), 0.8);  // the start's
  }

  store->DiscardEpisode(cut.key().Id());
  for (const char* table : {"episodes", "steps", "llm_calls", "experiments", "events"}) {
    EXPECT_EQ(store->CountRows(table, cut.key().Id()), 0) << table;
    EXPECT_GT(store->CountRows(table, done.key().Id()), 0) << table;
  }

  EventLog rerun(TestKey("toy_tabular", 2), {store.get()});
  AppendSyntheticEpisode(rerun, 2);
  EXPECT_EQ(store->CompletedEpisodes("r1").size(), 2u);
  EXPECT_EQ(store->CountRows("events", rerun.key().Id()), 3 + 6 * 2);
}

TEST(SqliteStoreTest, EpisodeStartReplacesRowsOfAnEarlierAttempt) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog first(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(first, 4, /*finish=*/false);
  EventLog second(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(second, 2);
  EXPECT_EQ(store->CountRows("events"), 3 + 6 * 2);
  EXPECT_EQ(store->CountRows("steps"), 2);
}

TEST(SqliteStoreTest, ReopensAnExistingDatabaseAndResumesTheRun) {
  ScratchDir dir;
  std::string path = dir.Path("results.db");
  {
    auto store = SqliteStore::Open(path);
    store->BeginRun("r1", "n", "{}", 1);
    EventLog log(TestKey("toy_tabular", 1), {store.get()});
    AppendSyntheticEpisode(log, 2);
    store->FinishRun("r1", RunStatus::kInterrupted, 2);
  }
  auto store = SqliteStore::Open(path);
  EXPECT_EQ(store->Run("r1")->status, RunStatus::kInterrupted);
  store->BeginRun("r1", "n", "{}", 3);
  EXPECT_EQ(store->Run("r1")->status, std::nullopt);
  EXPECT_FALSE(store->Run("r1")->finished_at.has_value());
  EXPECT_DOUBLE_EQ(*store->Run("r1")->started_at, 1);  // the first start is kept
  EXPECT_EQ(store->CompletedEpisodes("r1").size(), 1u);
  EXPECT_EQ(store->CountRows("events"), 3 + 6 * 2);
  EXPECT_FALSE(store->Run("missing").has_value());
}

// Missing payload fields (an older writer) are NULL; a mistyped one is a
// writer/reader mismatch: the store keeps it as its failure (it never
// throws), stores nothing more, and the run ends failed naming it.
TEST(SqliteStoreTest, ToleratesMissingPayloadFieldsAndFailsLoudlyOnMistypedOnes) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  log.Append(MakeEvent(EventType::kEpisodeStart, 0, 0, Json()));
  for (EventType type : {EventType::kContext, EventType::kLlmCall, EventType::kExperiment,
                         EventType::kStepSummary, EventType::kNote}) {
    log.Append(MakeEvent(type, 1, 1, Json::object()));
    log.Append(MakeEvent(type, 1, 2, Json()));  // null data
    log.Append(MakeEvent(type, 1, 3, Json::array({1, 2})));
  }
  log.Append(MakeEvent(EventType::kEpisodeEnd, 1, 4, {{"outcome", "not an object"}}));

  EXPECT_EQ(store->Failure(), "");
  EXPECT_EQ(store->CountRows("events"), static_cast<int64_t>(log.size()));
  EXPECT_EQ(store->CountRows("episodes"), 1);
  EXPECT_EQ(store->CountRows("llm_calls"), 3);
  EXPECT_EQ(store->CountRows("experiments"), 3);
  EXPECT_EQ(store->CountRows("steps"), 3);
  auto episodes = store->Episodes("r1");
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].status, EpisodeStatus::kComplete);
  {
    store->Flush();
    SqliteDb db(dir.Path("results.db"));
    Json c = store_test::EpisodeColumns(db, episodes[0].episode_id);
    EXPECT_TRUE(c["baseline_metric"].is_null());
    EXPECT_TRUE(c["success"].is_null());
    EXPECT_TRUE(c["stop_rule"].is_null());
  }

  int64_t stored = store->CountRows("events");
  EXPECT_NO_THROW(
      log.Append(MakeEvent(EventType::kStepSummary, 1, 5, {{"step", "four"}, {"action", 7}})));
  EXPECT_NE(store->Failure().find("'step' has the wrong type"), std::string::npos)
      << store->Failure();
  log.Append(MakeEvent(EventType::kNote, 1, 6, Json::object()));
  EXPECT_EQ(store->CountRows("events"), stored);  // nothing more after the failure
}

TEST(SqliteStoreTest, EpisodeEndWithoutStartStillMakesARow) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  store->OnEvent(TestKey("toy_tabular", 9),
                 MakeEvent(EventType::kEpisodeEnd, 0, 0,
                           {{"outcome", {{"status", "error"}, {"error", "model failed"}}}}));
  auto episodes = store->Episodes("r1");
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].status, EpisodeStatus::kError);
  EXPECT_EQ(episodes[0].key.seed, 9u);
  store->Flush();
  SqliteDb db(dir.Path("results.db"));
  Json c = store_test::EpisodeColumns(db, episodes[0].episode_id);
  EXPECT_EQ(c["error"], "model failed");
  EXPECT_TRUE(c["metric"].is_null());  // no episode.start: no start facts
}

TEST(SqliteStoreTest, CountRowsRejectsUnknownTables) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  EXPECT_THROW(store->CountRows("sqlite_master; DROP TABLE runs"), Error);
  EXPECT_THROW(store->CountRows("runs", "x"), Error);
  EXPECT_EQ(store->CountRows("runs"), 0);
}

TEST(SqliteStoreTest, RefusesADatabaseOfAnotherSchemaVersion) {
  ScratchDir dir;
  std::string path = dir.Path("results.db");
  {
    SqliteDb db(path);
    db.Exec("PRAGMA user_version = 99");
  }
  try {
    SqliteStore::Open(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("schema version 99"), std::string::npos);
  }
}

TEST(SqliteStoreTest, UpgradesAVersion1DatabaseInPlace) {
  ScratchDir dir;
  std::string path = dir.Path("results.db");
  {
    SqliteDb db(path);  // the llm_calls table as version 1 made it
    db.Exec(
        "CREATE TABLE llm_calls (episode_id TEXT NOT NULL, seq INTEGER NOT NULL, iteration "
        "INTEGER, step INTEGER, time REAL, purpose TEXT, prompt_tokens INTEGER, "
        "completion_tokens INTEGER, cached_prompt_tokens INTEGER, cost_usd REAL, latency_s REAL, "
        "cache_hit INTEGER, context_tokens INTEGER, estimated_tokens INTEGER, finish_reason "
        "TEXT, reply TEXT, tool_calls_json TEXT, PRIMARY KEY (episode_id, seq));"
        "INSERT INTO llm_calls (episode_id, seq, purpose) VALUES ('old', 1, 'agent');"
        "PRAGMA user_version = 1");
  }
  auto store = SqliteStore::Open(path);
  store->BeginRun("r1", "upgraded", "{}", 1.7e9);
  RunTwoEpisodes({store.get()});
  EXPECT_EQ(store->CountRows("llm_calls"), 1 + 3 + 5);
  SqliteDb db(path);
  Statement& st = db.Prepare("SELECT attempts FROM llm_calls WHERE episode_id = 'old'");
  ASSERT_TRUE(st.Step());
  EXPECT_TRUE(st.IsNull(0));
  Statement& v = db.Prepare("PRAGMA user_version");
  ASSERT_TRUE(v.Step());
  EXPECT_EQ(v.Int(0), kStoreSchemaVersion);
}

TEST(SqliteStoreTest, AFailedCallIsARowAndAnInterruptedEpisodeIsNotFinished) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "x", "{}", 1.7e9);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 1, /*finish=*/false);
  log.Append(MakeEvent(EventType::kLlmCall, 2, 2,
                       {{"purpose", "agent"}, {"attempts", 4}, {"error", "gave up"}}));
  log.Append(MakeEvent(EventType::kEpisodeEnd, 2, 2,
                       {{"outcome", {{"status", "interrupted"}, {"stop_rule", "interrupted"}}}}));
  SqliteDb db(dir.Path("results.db"));
  Statement& st = db.Prepare(
      "SELECT attempts, error, reply FROM llm_calls WHERE attempts = 4 AND error = 'gave up'");
  ASSERT_TRUE(st.Step());
  EXPECT_TRUE(st.IsNull(2));
  std::vector<EpisodeRow> episodes = store->Episodes("r1");
  ASSERT_EQ(episodes.size(), 1u);
  EXPECT_EQ(episodes[0].status, EpisodeStatus::kInterrupted);
  EXPECT_TRUE(store->CompletedEpisodes("r1").empty());
}

TEST(SqliteStoreTest, OpenErrorNamesThePath) {
  try {
    SqliteStore::Open("/nonexistent/dir/results.db");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/results.db"), std::string::npos);
  }
}

}  // namespace
}  // namespace ctxbench

namespace ctxbench {
namespace {

// The `events.json` column and the trace line hold the same bytes: the
// event's EventJsonText, which is EventToJson's text.
TEST(SqliteStoreTest, StoresTheSameEventTextAsTheTrace) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  JsonlTraceWriter traces(dir.Path(), Json::object());
  EventLog log(TestKey("toy_tabular", 1), {store.get(), &traces});
  AppendSyntheticEpisode(log, 2);
  store->Flush();
  std::string trace = ReadFile(traces.TracePath(log.key().Id()));
  std::vector<std::string> lines;
  for (size_t pos = 0, end; (end = trace.find('\n', pos)) != std::string::npos; pos = end + 1) {
    lines.push_back(trace.substr(pos, end - pos));
  }
  ASSERT_EQ(lines.size(), log.size() + 1);  // the run.start header first
  SqliteDb db(dir.Path("results.db"));
  Statement& st = db.Prepare("SELECT json FROM events WHERE episode_id = ?1 ORDER BY seq");
  st.Bind(1, log.key().Id());
  size_t i = 0;
  while (st.Step()) {
    ASSERT_LT(i, log.size());
    const std::string expected =
        EventToJson(log.events()[i]).dump(-1, ' ', false, Json::error_handler_t::replace);
    EXPECT_EQ(st.Text(0), expected) << "seq " << i;
    EXPECT_EQ(lines[i + 1], expected) << "seq " << i;
    ++i;
  }
  EXPECT_EQ(i, log.size());
}

}  // namespace
}  // namespace ctxbench
