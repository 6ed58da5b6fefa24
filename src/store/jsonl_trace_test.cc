#include "store/jsonl_trace.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/file.h"
#include "store/test_episode.h"

namespace ctxbench {
namespace {

using store_test::AppendSyntheticEpisode;
using store_test::ScratchDir;
using store_test::TestKey;

int CountLines(const std::string& text) {
  int lines = 0;
  for (char c : text) lines += c == '\n';
  return lines;
}

std::string ErrorOf(const std::string& path) {
  try {
    ReadTrace(path);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(JsonlTraceTest, WritesHeaderThenOneCompactLinePerEvent) {
  ScratchDir dir;
  JsonlTraceWriter writer(dir.Path(), {{"run_id", "r1"}, {"name", "smoke"}});
  EventLog log(TestKey("toy_tabular", 1), {&writer});
  AppendSyntheticEpisode(log, 3);
  std::string path = writer.TracePath(log.key().Id());
  EXPECT_EQ(path, dir.Path(log.key().Id() + ".jsonl"));

  std::string text = ReadFile(path);
  EXPECT_EQ(CountLines(text), static_cast<int>(log.size()) + 1);
  EXPECT_EQ(text.substr(0, text.find('\n')), R"({"event":"run.start","episode_id":")" +
                                                 log.key().Id() +
                                                 R"(","run_id":"r1","name":"smoke"})");

  Trace trace = ReadTrace(path);
  EXPECT_FALSE(trace.truncated);
  EXPECT_TRUE(trace.complete());
  EXPECT_EQ(trace.header["run_id"], "r1");
  ASSERT_EQ(trace.events.size(), log.size());
  for (size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(EventToJson(trace.events[i]), EventToJson(log.events()[i])) << "line " << i + 2;
  }
}

// Lines reach the file at the end of each step (and of the episode), not
// one write per event.
TEST(JsonlTraceTest, LinesReachTheFileAtTheEndOfEachStep) {
  ScratchDir dir;
  JsonlTraceWriter writer(dir.Path(), Json::object());
  EventLog log(TestKey("toy_tabular", 1), {&writer});
  AppendSyntheticEpisode(log, 2, /*finish=*/false);
  const std::string path = writer.TracePath(log.key().Id());
  // The synthetic step ends with step.summary, then agent.iteration: the
  // header and every line but that last one are in the file.
  ASSERT_EQ(log.events().back().type, EventType::kIteration);
  EXPECT_EQ(CountLines(ReadFile(path)), static_cast<int>(log.size()));
  log.Append(store_test::MakeEvent(EventType::kNote, 3, 3, {{"text", "n"}}));
  EXPECT_EQ(CountLines(ReadFile(path)), static_cast<int>(log.size()) - 1);
  log.Append(store_test::MakeEvent(EventType::kStepSummary, 3, 3, {{"step", 3}}));
  EXPECT_EQ(CountLines(ReadFile(path)), static_cast<int>(log.size()) + 1);
  Trace trace = ReadTrace(path);
  EXPECT_FALSE(trace.truncated);
  EXPECT_EQ(trace.events.size(), log.size());
}

TEST(JsonlTraceTest, RerunOfAnEpisodeStartsItsTraceOver) {
  ScratchDir dir;
  JsonlTraceWriter writer(dir.Path(), Json::object());
  {
    EventLog log(TestKey("toy_tabular", 1), {&writer});
    AppendSyntheticEpisode(log, 4, /*finish=*/false);
  }
  EventLog log(TestKey("toy_tabular", 1), {&writer});
  AppendSyntheticEpisode(log, 1);
  Trace trace = ReadTrace(writer.TracePath(log.key().Id()));
  EXPECT_EQ(trace.events.size(), log.size());
  EXPECT_TRUE(trace.complete());
}

TEST(JsonlTraceTest, TruncatedLastLineIsReportedNotFatal) {
  ScratchDir dir;
  std::string path;
  {
    JsonlTraceWriter writer(dir.Path(), Json::object());
    EventLog log(TestKey("toy_tabular", 1), {&writer});
    AppendSyntheticEpisode(log, 2, /*finish=*/false);
    path = writer.TracePath(log.key().Id());
  }
  std::ofstream(path, std::ios::app) << R"({"seq":14,"event":"op.llm","iter)";
  Trace trace = ReadTrace(path);
  EXPECT_TRUE(trace.truncated);
  EXPECT_FALSE(trace.complete());
  EXPECT_EQ(trace.events.size(), 2u + 6 * 2);
}

TEST(JsonlTraceTest, TruncatedHeaderLeavesANullHeader) {
  ScratchDir dir;
  std::string path = dir.Path("t.jsonl");
  std::ofstream(path) << R"({"event":"run.st)";
  Trace trace = ReadTrace(path);
  EXPECT_TRUE(trace.truncated);
  EXPECT_TRUE(trace.header.is_null());
  EXPECT_TRUE(trace.events.empty());
}

TEST(JsonlTraceTest, MalformedLineErrorNamesFileAndLine) {
  ScratchDir dir;
  std::string path = dir.Path("t.jsonl");
  std::ofstream(path) << R"({"event":"run.start"})"
                      << "\n"
                      << R"({"seq":0,"event":"op.note","data":{}})"
                      << "\n"
                      << "not json\n"
                      << R"({"seq":2,"event":"op.note","data":{}})"
                      << "\n";
  EXPECT_NE(ErrorOf(path).find(path + ":3: malformed trace line"), std::string::npos)
      << ErrorOf(path);
}

// A damaged trace is an input error naming the file and line, never a crash:
// a header of the wrong type, a line nested past the stored depth, garbage.
TEST(JsonlTraceTest, DamagedTracesAreInputErrorsNamingTheLine) {
  ScratchDir dir;
  std::string typed = dir.Path("typed.jsonl");
  std::ofstream(typed) << R"({"event":5})"
                       << "\n";
  EXPECT_NE(ErrorOf(typed).find(typed + ":1: expected the run.start"), std::string::npos)
      << ErrorOf(typed);

  std::string deep = dir.Path("deep.jsonl");
  std::ofstream(deep) << R"({"event":"run.start"})"
                      << "\n"
                      << R"({"seq":0,"event":"op.note","data":)" << std::string(200000, '[')
                      << std::string(200000, ']') << "}\n";
  EXPECT_NE(ErrorOf(deep).find(deep + ":2: malformed trace line: "), std::string::npos)
      << ErrorOf(deep).substr(0, 200);

  std::string garbage = dir.Path("garbage.jsonl");
  for (int variant = 0; variant < 8; ++variant) {
    std::string body = R"({"event":"run.start"})"
                       "\n";
    body += std::vector<std::string>{
        R"({"seq":"x","event":"op.note"})",
        R"({"seq":0,"event":["op.note"]})",
        R"({"seq":0,"event":"op.experiment","data":{"experiment":[]}})",
        R"({"seq":0,"event":"op.llm","message":7})",
        R"({"seq":0,"event":"op.tool_result","data":"x"})",
        "\xff\xfe{}",
        R"([1,2,3])",
        R"({"seq":0,"event":"op.context","data":{"manifest":[]}})"}[variant];
    std::ofstream(garbage) << body << "\n";
    int outcomes = 0;
    try {
      ReadTrace(garbage);
      ++outcomes;
    } catch (const Error& e) {  // an input error naming the line; any other exception fails
      EXPECT_NE(std::string(e.what()).find(garbage + ":2"), std::string::npos) << e.what();
      ++outcomes;
    }
    EXPECT_EQ(outcomes, 1);
  }
}

// A newer writer's event type is skipped, not an error; a missing header is.
TEST(JsonlTraceTest, UnknownEventIsSkippedMissingHeaderIsAnInputError) {
  ScratchDir dir;
  std::string unknown = dir.Path("unknown.jsonl");
  std::ofstream(unknown) << R"({"event":"run.start"})"
                         << "\n"
                         << R"({"seq":0,"event":"op.bogus"})"
                         << "\n"
                         << R"({"seq":1,"event":"op.note","data":{"text":"kept"}})"
                         << "\n";
  Trace trace = ReadTrace(unknown);
  ASSERT_EQ(trace.events.size(), 1u);
  EXPECT_EQ(trace.events[0].type, EventType::kNote);

  std::string headless = dir.Path("headless.jsonl");
  std::ofstream(headless) << R"({"seq":0,"event":"op.note"})"
                          << "\n";
  EXPECT_NE(ErrorOf(headless).find(headless + ":1: expected the run.start"), std::string::npos);

  std::string empty = dir.Path("empty.jsonl");
  std::ofstream(empty).flush();
  EXPECT_NE(ErrorOf(empty).find(empty + ": empty trace"), std::string::npos);
}

// A sink never throws: the failure is kept, naming the trace, for the run to report.
TEST(JsonlTraceTest, UnwritableFolderIsAFailureNamingTheTrace) {
  JsonlTraceWriter writer("/nonexistent/traces", Json::object());
  EpisodeKey key = TestKey("toy_tabular", 1);
  EXPECT_EQ(writer.Failure(), "");
  EXPECT_NO_THROW(
      writer.OnEvent(key, store_test::MakeEvent(EventType::kEpisodeStart, 0, 0, Json::object())));
  EXPECT_NE(writer.Failure().find("/nonexistent/traces/" + key.Id() + ".jsonl"), std::string::npos)
      << writer.Failure();
}

}  // namespace
}  // namespace ctxbench
