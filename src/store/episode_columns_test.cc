// The `episodes` table's outcome columns are generated from the one record
// of the outcome (`outcome_json`) and of the start (`start_json`): what they
// read while an episode runs and after it ends, and the upgrade of a store of
// the old schema (real columns) that keeps every value it held.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/error.h"
#include "core/sqlite_db.h"
#include "store/read_only_store.h"
#include "store/sqlite_store.h"
#include "store/store_schema.h"
#include "store/test_episode.h"
#include "store/test_old_schema.h"

namespace ctxbench {
namespace {

using store_test::AppendSyntheticEpisode;
using store_test::EpisodeColumns;
using store_test::MakeEvent;
using store_test::ScratchDir;
using store_test::TestKey;

int64_t UserVersion(SqliteDb& db) {
  Statement& st = db.Prepare("PRAGMA user_version");
  int64_t version = st.Step() ? st.Int(0) : -1;
  st.Reset();
  return version;
}

// The names of the episodes table's columns of `kind` in PRAGMA
// table_xinfo's `hidden` terms: 0 stored, 2 or 3 generated.
std::vector<std::string> Columns(SqliteDb& db, bool generated) {
  Statement& st = db.Prepare("SELECT name, hidden FROM pragma_table_xinfo('episodes')");
  std::vector<std::string> names;
  while (st.Step()) {
    if ((st.Int(1) >= 2) == generated) names.push_back(st.Text(0));
  }
  st.Reset();
  return names;
}

TEST(EpisodeColumnsTest, OnlyKeyStatusTimesAndTheTwoRecordsAreStored) {
  ScratchDir dir;
  SqliteStore::Open(dir.Path("results.db"));
  SqliteDb db(dir.Path("results.db"));
  EXPECT_EQ(
      Columns(db, false),
      (std::vector<std::string>{"episode_id", "run_id", "task", "policy", "model", "mode", "seed",
                                "status", "outcome_json", "started_at", "ended_at", "start_json"}));
  EXPECT_EQ(Columns(db, true).size(), 24u);
  EXPECT_EQ(UserVersion(db), kStoreSchemaVersion);
}

// NULL and type semantics as the copied columns had them: booleans 0/1, a
// missing optional NULL, start facts while running, the outcome's baseline
// over the start's once it ends.
TEST(EpisodeColumnsTest, ColumnsReadTheStartWhileRunningAndTheOutcomeAfter) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 2, /*finish=*/false);
  store->Flush();
  SqliteDb db(dir.Path("results.db"));
  Json running = EpisodeColumns(db, log.key().Id());
  EXPECT_EQ(running["status"], "running");
  EXPECT_EQ(running["metric"], "accuracy");
  EXPECT_EQ(running["higher_is_better"], 1);
  EXPECT_DOUBLE_EQ(running["baseline_metric"].get<double>(), 0.8);
  EXPECT_EQ(running["baseline_config_json"], R"({"max_depth":3})");
  for (const char* outcome_column : {"success", "best_valid_metric", "test_metric", "stop_rule",
                                     "error", "final_config_json", "outcome_json", "ended_at"}) {
    EXPECT_TRUE(running[outcome_column].is_null()) << outcome_column;
  }

  log.Append(MakeEvent(EventType::kEpisodeEnd, 2, 2,
                       {{"outcome",
                         {{"status", "complete"},
                          {"stop_rule", ""},
                          {"baseline_metric", 0.75},
                          {"success", true},
                          {"final_answer_valid", false},
                          {"claimed_metric", nullptr},
                          {"improvement_pct", 4},
                          {"iterations", 2}}}}));
  Json ended = EpisodeColumns(db, log.key().Id());
  EXPECT_EQ(ended["status"], "complete");
  EXPECT_EQ(ended["success"], 1);
  EXPECT_EQ(ended["final_answer_valid"], 0);
  EXPECT_DOUBLE_EQ(ended["baseline_metric"].get<double>(), 0.75);  // the outcome's
  EXPECT_TRUE(ended["claimed_metric"].is_null());                  // JSON null
  EXPECT_TRUE(ended["test_metric"].is_null());                     // absent
  EXPECT_EQ(ended["stop_rule"], "");
  EXPECT_TRUE(ended["improvement_pct"].is_number_float());  // REAL, as declared
  EXPECT_EQ(ended["iterations"], 2);
  EXPECT_EQ(ended["metric"], "accuracy");  // still the start's
}

// Adding a field to the outcome needs no store change: it is in outcome_json
// and SQL reaches it with json_extract (a column for it is one generated
// line in store_schema.cc, never a writer change).
TEST(EpisodeColumnsTest, ANewOutcomeFieldIsQueryableWithoutAStoreChange) {
  ScratchDir dir;
  auto store = SqliteStore::Open(dir.Path("results.db"));
  store->BeginRun("r1", "n", "{}", 0);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 1, /*finish=*/false);
  log.Append(MakeEvent(EventType::kEpisodeEnd, 1, 1,
                       {{"outcome", {{"status", "complete"}, {"novel_metric", 0.125}}}}));
  SqliteDb db(dir.Path("results.db"));
  Statement& st = db.Prepare(
      "SELECT json_extract(outcome_json, '$.novel_metric') FROM episodes WHERE status = "
      "'complete' AND json_extract(outcome_json, '$.novel_metric') > 0.1");
  ASSERT_TRUE(st.Step());
  EXPECT_EQ(st.Real(0), 0.125);
  EXPECT_FALSE(st.Step());
  st.Reset();
}

// A store of schema version 2 holding `episodes` of every shape: finished,
// unfinished, errored without a start, a missing optional. Its rows are the
// values the old writer put in its real columns (the same values version 3
// generates, which RunDataTest.EachEpisodeColumnReadsItsStoredOutcome and
// the default grid's comparison check against the old binary).
void MakeVersion2Store(const std::string& path, const std::string& scratch) {
  std::string v3 = scratch + "/v3.db";
  {
    auto store = SqliteStore::Open(v3);
    store->BeginRun("r1", "old", "{}", 1.7e9);
    EventLog done(TestKey("toy_tabular", 1), {store.get()});
    AppendSyntheticEpisode(done, 3);
    EventLog cut(TestKey("toy_tabular", 2), {store.get()});
    AppendSyntheticEpisode(cut, 2, /*finish=*/false);
    store->OnEvent(TestKey("toy_tabular", 3),
                   MakeEvent(EventType::kEpisodeEnd, 0, 0,
                             {{"outcome", {{"status", "error"}, {"error", "model failed"}}}}));
    store->FinishRun("r1", RunStatus::kInterrupted, 1.7e9 + 5);
  }
  SqliteDb db(path);
  db.Exec(store_test::kStoreSchemaVersion2Sql);
  db.Exec("PRAGMA user_version = " + std::to_string(store_test::kStoreSchemaVersion2));
  db.Exec("ATTACH DATABASE '" + v3 + "' AS v3");
  std::string old_columns;
  {
    Statement& st = db.Prepare("SELECT name FROM pragma_table_xinfo('episodes', 'main')");
    while (st.Step()) old_columns += (old_columns.empty() ? "" : ", ") + st.Text(0);
    st.Reset();
  }
  db.Exec("INSERT INTO main.episodes (" + old_columns + ") SELECT " + old_columns +
          " FROM v3.episodes");
  // A start value whose text at SQL's 15 digits (0.3) reads back as another
  // double: the upgrade must carry it exactly.
  db.Exec("UPDATE main.episodes SET target_metric = 0.1 + 0.2 WHERE metric IS NOT NULL");
  for (const char* table : {"runs", "steps", "llm_calls", "experiments", "events"}) {
    db.Exec(std::string("INSERT INTO main.") + table + " SELECT * FROM v3." + table);
  }
  db.Exec("DETACH DATABASE v3");
}

std::vector<std::string> EpisodeIds() {
  return {TestKey("toy_tabular", 1).Id(), TestKey("toy_tabular", 2).Id(),
          TestKey("toy_tabular", 3).Id()};
}

TEST(EpisodeColumnsTest, AVersion2StoreIsReadAsItIsAndUpgradedKeepingEveryValue) {
  ScratchDir dir;
  std::string path = dir.Path("results.db");
  MakeVersion2Store(path, dir.Path());
  std::vector<Json> before;
  {
    SqliteDb db(path);
    for (const std::string& id : EpisodeIds()) before.push_back(EpisodeColumns(db, id));
  }
  ASSERT_EQ(before[0].size(), 35u);  // the old table's 35 real columns
  EXPECT_EQ(before[0]["target_metric"], 0.1 + 0.2);
  EXPECT_EQ(before[2]["error"], "model failed");
  EXPECT_TRUE(before[1]["best_valid_metric"].is_null());

  {  // readers (report, viewer) read it as it is and never change it
    auto reader = SqliteStore::OpenReadOnly(path);
    std::vector<EpisodeRow> rows = reader->Episodes("r1");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].status, EpisodeStatus::kComplete);
    EXPECT_FALSE(rows[0].outcome_json.empty());
    EXPECT_EQ(rows[1].status, std::nullopt);
    SqliteDb db(path);
    EXPECT_EQ(UserVersion(db), 2);
  }

  {  // a writer (resume, merge) upgrades it in place
    auto store = SqliteStore::Open(path);
    EXPECT_EQ(store->CompletedEpisodes("r1"), std::set<std::string>{EpisodeIds()[0]});
    store->DiscardEpisode(EpisodeIds()[1]);  // resume reruns the unfinished one
    EventLog rerun(TestKey("toy_tabular", 2), {store.get()});
    AppendSyntheticEpisode(rerun, 2);
  }
  SqliteDb db(path);
  EXPECT_EQ(UserVersion(db), kStoreSchemaVersion);
  EXPECT_EQ(Columns(db, true).size(), 24u);
  for (size_t i : {0u, 2u}) {  // the episodes the upgrade carried over
    Json after = EpisodeColumns(db, EpisodeIds()[i]);
    for (auto it = before[i].begin(); it != before[i].end(); ++it) {
      EXPECT_EQ(after[it.key()], it.value()) << EpisodeIds()[i] << " " << it.key();
    }
  }
  Json rerun = EpisodeColumns(db, EpisodeIds()[1]);
  EXPECT_EQ(rerun["status"], "complete");
  EXPECT_FALSE(rerun["best_valid_metric"].is_null());
  EXPECT_EQ(before[1]["baseline_config_json"], rerun["baseline_config_json"]);
}

TEST(EpisodeColumnsTest, AnUpgradeThatWouldLoseAValueIsRefusedAndChangesNothing) {
  ScratchDir dir;
  std::string path = dir.Path("results.db");
  MakeVersion2Store(path, dir.Path());
  std::string id = TestKey("toy_tabular", 1).Id();
  {
    SqliteDb db(path);  // a column that disagrees with its outcome
    db.Prepare("UPDATE episodes SET success = 1 WHERE episode_id = ?1").Bind(1, id).Run();
  }
  try {
    SqliteStore::Open(path);
    FAIL() << "the upgrade dropped a value";
  } catch (const Error& e) {
    std::string what = e.what();
    EXPECT_NE(what.find(path), std::string::npos) << what;
    EXPECT_NE(what.find(id), std::string::npos) << what;
    EXPECT_NE(what.find("'success'"), std::string::npos) << what;
    EXPECT_NE(what.find("schema version 3"), std::string::npos) << what;
  }
  SqliteDb db(path);
  EXPECT_EQ(UserVersion(db), 2);
  EXPECT_EQ(Columns(db, true).size(), 0u);
  EXPECT_EQ(EpisodeColumns(db, id)["success"], 1);
}

TEST(EpisodeColumnsTest, ReadersRefuseANewerSchemaVersion) {
  ScratchDir dir;
  std::string path = dir.Path("results.db");
  {
    SqliteDb db(path);
    db.Exec("PRAGMA user_version = " + std::to_string(kStoreSchemaVersion + 1));
  }
  try {
    OpenStoreReadOnly(path);
    FAIL() << "a newer schema was read";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("reads 1 to " + std::to_string(kStoreSchemaVersion)),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace ctxbench
