// The workspace section: stats read from a workspace episode's experiment
// events, and the table in report.md / report.html of a run folder holding
// workspace episodes (absent from runs without them: see the golden tests).
#include "report/workspace_section.h"

#include <gtest/gtest.h>

#include <sstream>

#include "events/payloads.h"
#include "report/report_writer.h"
#include "report/test_run.h"
#include "report/workspace_stats.h"

namespace ctxbench {
namespace {

using report_test::MakeEvent;
using report_test::ScratchDir;

Json Traceback(const std::string& type, int line) {
  return {
      {"type", type}, {"message", "'x'"}, {"file", "train.py"}, {"line", line}, {"source", "x"}};
}

Json Run(int number, bool ok, double metric, Json traceback = Json()) {
  return {{"experiment", number},
          {"config", Json::object()},
          {"ok", ok},
          {"error", ok ? "" : "exit 1"},
          {"valid_metric", ok ? Json(metric) : Json()},
          {"exit_code", ok ? 0 : 1},
          {"traceback", traceback}};
}

Json Final(double valid, Json test) {
  FinalEvaluationData d;
  d.config = Json::object();
  d.ok = true;
  d.valid_metric = valid;
  if (test.is_number()) d.test_metric = test.get<double>();
  return d.ToJson();
}

// A debug episode: the starter crashes (KeyError), run 1 crashes again, run 2
// crashes on another line (ValueError), run 3 works, run 4 crashes with the
// ValueError again, and the final run of the workspace as left works.
std::vector<Event> DebugEvents() {
  return {MakeEvent(EventType::kExperiment, 0, 0, Run(0, false, 0, Traceback("KeyError", 3))),
          MakeEvent(EventType::kExperiment, 1, 1, Run(1, false, 0, Traceback("KeyError", 3))),
          MakeEvent(EventType::kExperiment, 2, 2, Run(2, false, 0, Traceback("ValueError", 9))),
          MakeEvent(EventType::kExperiment, 3, 3, Run(3, true, 0.7)),
          MakeEvent(EventType::kExperiment, 4, 4, Run(4, false, 0, Traceback("ValueError", 9))),
          MakeEvent(EventType::kFinalEvaluation, 4, 5, Final(0.7, 0.68))};
}

TEST(WorkspaceStatsTest, CountsRunsAndDistinctTracebacks) {
  std::optional<WorkspaceStats> s = ReadWorkspaceStats(DebugEvents());
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->runs, 4);  // not the starter's, not the final one
  EXPECT_EQ(s->failed_runs, 3);
  EXPECT_EQ(s->tracebacks_seen, 2);
  EXPECT_EQ(s->tracebacks_fixed, 2);  // the ValueError came back; the final run works
  // Without the final run, the ValueError's last appearance is unfixed.
  std::vector<Event> cut = DebugEvents();
  cut.pop_back();
  EXPECT_EQ(ReadWorkspaceStats(cut)->tracebacks_fixed, 1);
  EXPECT_EQ(s->final_valid, 0.7);
  EXPECT_EQ(s->hidden_test, 0.68);
}

TEST(WorkspaceStatsTest, TuneEpisodesHaveNone) {
  Json tune = {{"experiment", 1}, {"ok", true}, {"valid_metric", 0.8}, {"cached", false}};
  EXPECT_FALSE(ReadWorkspaceStats({MakeEvent(EventType::kExperiment, 1, 1, tune)}).has_value());
  // A tune task's final evaluation does not make it a workspace episode.
  EXPECT_FALSE(ReadWorkspaceStats({MakeEvent(EventType::kFinalEvaluation, 1, 1, Final(0.8, 0.7))})
                   .has_value());
  // A failed final run has no final metric; no hidden score is null.
  Json fin = Final(0, Json());
  fin["ok"] = false;
  auto s = ReadWorkspaceStats({MakeEvent(EventType::kExperiment, 0, 0,
                                         ctxbench::Run(0, false, 0, Traceback("KeyError", 3))),
                               MakeEvent(EventType::kFinalEvaluation, 1, 1, fin)});
  ASSERT_TRUE(s.has_value());
  EXPECT_FALSE(s->final_valid.has_value());
  EXPECT_FALSE(s->hidden_test.has_value());
  EXPECT_EQ(s->tracebacks_seen, 1);
  EXPECT_EQ(s->tracebacks_fixed, 0);
}

// A run folder with debug_py × {full, window} × seeds 1-2 (mae-free: accuracy).
std::string WorkspaceRunFolder(const std::string& dir) {
  std::string run_dir = dir + "/" + report_test::kRunId;
  std::filesystem::create_directories(run_dir);
  Json config = {{"name", "ws"},
                 {"tasks", {"debug_py"}},
                 {"models", {{{"name", "sim"}, {"kind", "sim"}}}},
                 {"context_policies",
                  {{{"name", "full"}, {"type", "full"}}, {{"name", "window"}, {"type", "window"}}}},
                 {"reasoning_modes", {"agentic"}},
                 {"seeds", {1, 2}}};
  WriteFileAtomic(run_dir + "/run.json",
                  Json{{"run_id", report_test::kRunId}, {"config", config}}.dump());
  auto store = SqliteStore::Open(run_dir + "/results.db");
  store->BeginRun(report_test::kRunId, "ws", config.dump(), 1.7e9);
  for (const char* policy : {"full", "window"}) {
    for (uint64_t seed : {1, 2}) {
      EventLog log(EpisodeKey{"debug_py", policy, "sim", "agentic", seed}, {store.get()});
      log.Append(MakeEvent(EventType::kEpisodeStart, 0, 0,
                           {{"baseline_metric", 0.6},
                            {"target_metric", 0.66},
                            {"metric", "accuracy"},
                            {"higher_is_better", true}}));
      for (Event e : DebugEvents()) log.Append(std::move(e));
      bool success = std::string(policy) == "full";
      log.Append(MakeEvent(EventType::kEpisodeEnd, 4, 5,
                           {{"outcome",
                             {{"status", "complete"},
                              {"stop_rule", "iterations"},
                              {"metric", "accuracy"},
                              {"higher_is_better", true},
                              {"baseline_metric", 0.6},
                              {"target_metric", 0.66},
                              {"best_valid_metric", 0.7},
                              {"success", success},
                              {"final_answer_valid", true},
                              {"final_valid_metric", 0.7},
                              {"test_metric", 0.68},
                              {"iterations", 4},
                              {"steps", 5}}}}));
    }
  }
  store->FinishRun(report_test::kRunId, RunStatus::kComplete, 1.7e9 + 60);
  return run_dir;
}

TEST(WorkspaceSectionTest, TablePerTaskAndPolicyInMarkdownAndHtml) {
  ScratchDir dir;
  Report report = BuildReport(LoadRunData(WorkspaceRunFolder(dir.Path())));
  TextTable t = WorkspaceTable(report);
  ASSERT_EQ(t.rows.size(), 2u);
  std::vector<std::string> full = {
      "debug_py", "sim",    "full", "accuracy (higher)", "2", "0", "8", "6", "4", "4",
      "0.7000",   "0.6800", "2/2"};
  EXPECT_EQ(t.rows[0], full);
  EXPECT_EQ(t.rows[1][2], "window");
  EXPECT_EQ(t.rows[1].back(), "0/2");

  std::ostringstream md, html;
  MakeMarkdownWriter()->Write(report, md);
  MakeHtmlWriter()->Write(report, html);
  EXPECT_NE(md.str().find("## Workspace tasks: edits, runs and tracebacks"), std::string::npos);
  EXPECT_NE(md.str().find("| debug_py | sim | full | accuracy (higher) | 2 | 0 | 8 | 6 | 4 | 4 |"),
            std::string::npos)
      << md.str();
  EXPECT_NE(html.str().find("id=\"workspace\""), std::string::npos);
  EXPECT_NE(html.str().find("<td>0.6800</td>"), std::string::npos);
}

TEST(WorkspaceSectionTest, AbsentWithoutWorkspaceEpisodes) {
  ScratchDir dir;
  Report report = BuildReport(
      LoadRunData(report_test::MakeRunFolder(dir.Path(), report_test::GoldenEpisodes())));
  EXPECT_TRUE(WorkspaceTable(report).rows.empty());
  std::ostringstream md;
  MakeMarkdownWriter()->Write(report, md);
  EXPECT_EQ(md.str().find("Workspace tasks"), std::string::npos);
}

}  // namespace
}  // namespace ctxbench
