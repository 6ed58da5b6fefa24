#include "store/read_only_store.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "core/error.h"
#include "core/sqlite_db.h"
#include "store/sqlite_store.h"
#include "store/test_episode.h"

namespace ctxbench {
namespace {

namespace fs = std::filesystem;
using store_test::AppendSyntheticEpisode;
using store_test::ScratchDir;
using store_test::TestKey;

std::set<std::string> FolderListing(const std::string& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir)) {
    names.insert(entry.path().filename().string() + ":" +
                 std::to_string(entry.is_regular_file() ? fs::file_size(entry.path()) : 0) + ":" +
                 std::to_string(fs::last_write_time(entry.path()).time_since_epoch().count()));
  }
  return names;
}

void WriteRun(const std::string& path) {
  auto store = SqliteStore::Open(path);
  store->BeginRun("r1", "smoke", "{}", 1.7e9);
  EventLog log(TestKey("toy_tabular", 1), {store.get()});
  AppendSyntheticEpisode(log, 3);
  store->FinishRun("r1", RunStatus::kComplete, 1.7e9 + 5);
}

TEST(ReadOnlyStoreTest, ReadsAClosedStoreWithoutTouchingItsFolder) {
  ScratchDir dir;
  WriteRun(dir.Path("results.db"));
  std::set<std::string> before = FolderListing(dir.Path());
  {
    auto store = SqliteStore::OpenReadOnly(dir.Path("results.db"));
    ASSERT_TRUE(store->Run("r1").has_value());
    EXPECT_EQ(store->Episodes("r1").size(), 1u);
    EXPECT_EQ(store->CountRows("steps"), 3);
    EXPECT_THROW(store->FinishRun("r1", RunStatus::kFailed, 1.0), Error);
  }
  EXPECT_EQ(FolderListing(dir.Path()), before);
  EXPECT_FALSE(fs::exists(dir.Path("results.db-wal")));
}

TEST(ReadOnlyStoreTest, SeesWhatAnOpenWriterCommits) {
  ScratchDir dir;
  auto writer = SqliteStore::Open(dir.Path("results.db"));
  writer->BeginRun("r1", "live", "{}", 1.7e9);
  auto reader = OpenStoreReadOnly(dir.Path("results.db"));
  Statement& st = reader->Prepare("SELECT status FROM runs WHERE run_id = 'r1'");
  ASSERT_TRUE(st.Step());
  EXPECT_EQ(st.Text(0), "running");
  st.Reset();
  writer->FinishRun("r1", RunStatus::kComplete, 1.7e9 + 1);
  Statement& again = reader->Prepare("SELECT status FROM runs WHERE run_id = 'r1'");
  ASSERT_TRUE(again.Step());
  EXPECT_EQ(again.Text(0), "complete");
}

int64_t CountEvents(SqliteDb& db) {
  Statement& st = db.Prepare("SELECT count(*) FROM events");
  int64_t n = st.Step() ? st.Int(0) : -1;
  st.Reset();
  return n;
}

// Steps do not end a commit group (docs/store.md, "Durability"): the events
// of an episode still running reach other connections within the group's
// 250 ms delay; an episode.end is committed before Append returns.
TEST(ReadOnlyStoreTest, SeesARunningEpisodeWithinTheCommitDelayAndAnEndAtOnce) {
  ScratchDir dir;
  auto writer = SqliteStore::Open(dir.Path("results.db"));
  writer->BeginRun("r1", "live", "{}", 1.7e9);
  auto reader = OpenStoreReadOnly(dir.Path("results.db"));
  EventLog running(TestKey("toy_tabular", 1), {writer.get()});
  AppendSyntheticEpisode(running, 2, /*finish=*/false);
  const int64_t written = static_cast<int64_t>(running.size());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (CountEvents(*reader) < written && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_EQ(CountEvents(*reader), written);

  EventLog finished(TestKey("toy_tabular", 2), {writer.get()});
  AppendSyntheticEpisode(finished, 3);
  EXPECT_EQ(CountEvents(*reader), written + static_cast<int64_t>(finished.size()));
}

TEST(ReadOnlyStoreTest, RefusesAMissingFileAndAFileThatIsNoStore) {
  ScratchDir dir;
  try {
    OpenStoreReadOnly(dir.Path("results.db"));
    FAIL() << "opened a missing file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(dir.Path("results.db")), std::string::npos);
  }
  EXPECT_FALSE(fs::exists(dir.Path("results.db")));
  { std::ofstream(dir.Path("empty.db")) << ""; }
  EXPECT_THROW(OpenStoreReadOnly(dir.Path("empty.db")), Error);
  EXPECT_EQ(fs::file_size(dir.Path("empty.db")), 0u);
}

}  // namespace
}  // namespace ctxbench
