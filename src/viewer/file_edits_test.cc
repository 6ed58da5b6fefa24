#include "viewer/file_edits.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

// An episode's record of tool calls and their results, built call by call.
class EpisodeRecord {
 public:
  void Call(const std::string& tool, const Json& args, const std::string& reply, bool ok = true) {
    std::string id = "call_" + std::to_string(seq_);
    Event call;
    call.seq = seq_++;
    call.type = EventType::kLlmCall;
    call.message = Message{Role::kAssistant, "", {{id, tool, args.dump()}}, "", ""};
    events_.push_back(call);
    Event result;
    result.seq = seq_++;
    result.type = EventType::kToolResult;
    result.message = Message{Role::kTool, reply, {}, id, tool};
    result.data = {{"tool", tool}, {"ok", ok}};
    events_.push_back(result);
  }
  const std::vector<Event>& events() const { return events_; }
  int64_t last_seq() const { return seq_ - 1; }

 private:
  std::vector<Event> events_;
  int64_t seq_ = 0;
};

std::vector<std::string> Lines(const DiffHunk& h) { return h.lines; }

TEST(UnifiedDiffTest, ChangedLineWithContextAndLineNumbers) {
  std::vector<std::string> before = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
  std::vector<std::string> after = before;
  after[4] = "E";
  std::vector<DiffHunk> hunks = UnifiedDiff(before, after);
  ASSERT_EQ(hunks.size(), 1u);
  EXPECT_EQ(hunks[0].old_start, 2);
  EXPECT_EQ(hunks[0].old_count, 7);
  EXPECT_EQ(hunks[0].new_start, 2);
  EXPECT_EQ(hunks[0].new_count, 7);
  EXPECT_EQ(Lines(hunks[0]),
            (std::vector<std::string>{" b", " c", " d", "-e", "+E", " f", " g", " h"}));
}

TEST(UnifiedDiffTest, FarApartChangesAreTwoHunksAndEqualTextsNone) {
  std::vector<std::string> before;
  for (int i = 0; i < 30; ++i) before.push_back("line " + std::to_string(i));
  std::vector<std::string> after = before;
  after.erase(after.begin() + 2);
  after.insert(after.begin() + 25, "new");
  std::vector<DiffHunk> hunks = UnifiedDiff(before, after);
  ASSERT_EQ(hunks.size(), 2u);
  EXPECT_EQ(hunks[0].old_start, 1);
  EXPECT_EQ(hunks[0].old_count, 6);  // lines 0-1, -2, 3-5
  EXPECT_EQ(hunks[0].new_count, 5);
  EXPECT_EQ(hunks[1].lines[3], "+new");
  EXPECT_TRUE(UnifiedDiff(before, before).empty());
}

TEST(UnifiedDiffTest, NewFileIsAllAdded) {
  std::vector<DiffHunk> hunks = UnifiedDiff({}, {"x", "y"});
  ASSERT_EQ(hunks.size(), 1u);
  EXPECT_EQ(hunks[0].old_start, 0);
  EXPECT_EQ(hunks[0].old_count, 0);
  EXPECT_EQ(hunks[0].new_start, 1);
  EXPECT_EQ(Lines(hunks[0]), (std::vector<std::string>{"+x", "+y"}));
}

TEST(FileEditDiffsTest, ReplaysEditsFromAWholeRead) {
  EpisodeRecord r;
  r.Call("read_file", {{"path", "p.json"}}, "File p.json (lines 1-3 of 3):\n{\n\"depth\": 1\n}\n");
  r.Call("edit_file", {{"path", "p.json"}, {"search", "\"depth\": 1"}, {"replace", "\"depth\": 4"}},
         "Edited p.json: replaced 1 occurrence.");
  r.Call("edit_file", {{"path", "p.json"}, {"search", "absent"}, {"replace", "x"}},
         "Error: the search text was not found", /*ok=*/false);
  r.Call("write_file", {{"path", "p.json"}, {"content", "{\n\"depth\": 4,\n\"eta\": 0.1\n}\n"}},
         "Wrote p.json (28 bytes).");
  r.Call("undo_edit", {{"path", "p.json"}}, "Undid the last edit of p.json.");
  std::vector<FileEditDiff> diffs = FileEditDiffs(r.events());
  ASSERT_EQ(diffs.size(), 3u);  // the failed edit changed nothing

  EXPECT_EQ(diffs[0].tool, "edit_file");
  EXPECT_EQ(diffs[0].before, "replayed");
  EXPECT_EQ(diffs[0].seq, 3);
  ASSERT_EQ(diffs[0].hunks.size(), 1u);
  EXPECT_EQ(Lines(diffs[0].hunks[0]),
            (std::vector<std::string>{" {", "-\"depth\": 1", "+\"depth\": 4", " }"}));

  EXPECT_EQ(diffs[1].tool, "write_file");
  EXPECT_EQ(diffs[1].before, "replayed");
  EXPECT_EQ(diffs[1].added, 2);
  EXPECT_EQ(diffs[1].removed, 1);

  EXPECT_EQ(diffs[2].tool, "undo_edit");
  EXPECT_EQ(diffs[2].before, "replayed");
  EXPECT_EQ(diffs[2].seq, r.last_seq());
  EXPECT_EQ(diffs[2].added, 1);  // back to "depth": 4 without eta
  EXPECT_EQ(diffs[2].removed, 2);
}

TEST(FileEditDiffsTest, WithoutTheBeforeContentShowsOnlyWhatTheRecordHolds) {
  EpisodeRecord r;
  r.Call("read_file", {{"path", "big.py"}, {"start_line", 1}, {"end_line", 2}},
         "File big.py (lines 1-2 of 90):\nimport os\nimport sys\n[88 more lines]\n");
  r.Call("edit_file", {{"path", "big.py"}, {"search", "x = 1\n"}, {"replace", "x = 2\ny = 3\n"}},
         "Edited big.py: replaced 1 occurrence.");
  r.Call("undo_edit", {{"path", "big.py"}}, "Undid the last edit of big.py.");
  r.Call("write_file", {{"path", "notes.txt"}, {"content", "one\ntwo\n"}}, "Wrote notes.txt.");
  std::vector<FileEditDiff> diffs = FileEditDiffs(r.events());
  ASSERT_EQ(diffs.size(), 3u);
  EXPECT_EQ(diffs[0].before, "edit");  // a partial read does not give the file
  EXPECT_EQ(Lines(diffs[0].hunks[0]), (std::vector<std::string>{"-x = 1", "+x = 2", "+y = 3"}));
  EXPECT_EQ(diffs[1].before, "edit");  // the undo inverts the edit
  EXPECT_EQ(Lines(diffs[1].hunks[0]), (std::vector<std::string>{"-x = 2", "-y = 3", "+x = 1"}));
  EXPECT_EQ(diffs[2].before, "unknown");  // never listed or read
  EXPECT_EQ(diffs[2].added, 2);
}

TEST(FileEditDiffsTest, AFileTheListingLacksIsNew) {
  EpisodeRecord r;
  r.Call("list_files", Json::object(), "Files:\nparams.json (20 bytes)\ntrain.py (900 bytes)\n");
  r.Call("write_file", {{"path", "extra.txt"}, {"content", "hello\n"}}, "Wrote extra.txt.");
  r.Call("write_file", {{"path", "train.py"}, {"content", "print(1)\n"}}, "Wrote train.py.");
  std::vector<FileEditDiff> diffs = FileEditDiffs(r.events());
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_EQ(diffs[0].before, "replayed");  // known absent: a new file
  EXPECT_EQ(diffs[0].hunks[0].old_start, 0);
  EXPECT_EQ(diffs[1].before, "unknown");  // listed but never read
  Json j = FileEditDiffToJson(diffs[0]);
  EXPECT_EQ(j["path"], "extra.txt");
  EXPECT_EQ(j["hunks"][0]["lines"][0], "+hello");
}

}  // namespace
}  // namespace ctxbench
