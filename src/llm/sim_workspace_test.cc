#include "llm/sim_workspace.h"

#include <gtest/gtest.h>

namespace ctxbench {
namespace {

Message User(const std::string& text) { return {Role::kUser, text, {}, "", ""}; }
Message Call(const std::string& id, const std::string& name, const Json& args) {
  return {Role::kAssistant, "", {{id, name, args.dump()}}, "", ""};
}
Message Result(const std::string& id, const std::string& name, const std::string& text) {
  return {Role::kTool, text, {}, id, name};
}

const char kStatement[] =
    "Task: t (workspace task)\nWorkspace files:\ndata/train.csv (20 bytes) read-only\n"
    "params.json (30 bytes)\ntrain.py (500 bytes)\n\nMetric: accuracy on the validation split "
    "(higher is better).\nConfig file: params.json\nBaseline config: {\"width\":5,\"depth\":10}\n"
    "Baseline validation accuracy: 0.7\nTarget: validation accuracy >= 0.91 (30% better than the "
    "baseline).\n";

TEST(SimWorkspaceTest, ClosestName) {
  EXPECT_EQ(ClosestName("montly_charges", {"tenure", "monthly_charges", "churned"}),
            "monthly_charges");
  EXPECT_EQ(ClosestName("x", {}), "");
}

TEST(SimWorkspaceTest, ReadsTheConfigThenWritesTheNextAndRuns) {
  std::vector<Message> msgs = {User(kStatement), User("Iteration 1 of 6")};
  auto a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  EXPECT_EQ(a.first, "read_file");
  EXPECT_EQ(a.second["path"], "params.json");
  msgs.push_back(Call("c1", "read_file", a.second));
  msgs.push_back(Result("c1", "read_file",
                        "File params.json (lines 1-1 of 1):\n{\"width\": 5, \"depth\": 10}\n"));
  a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "write_file");
  Json next = Json::parse(a.second["content"].get<std::string>());
  EXPECT_NE(next.dump(), Json::parse("{\"width\": 5, \"depth\": 10}").dump());
  msgs.push_back(Call("c2", "write_file", a.second));
  msgs.push_back(Result("c2", "write_file", "Wrote params.json (25 bytes)."));
  EXPECT_EQ(SimWorkspaceAction(msgs, ReadSimView(msgs), 1).first, "run");
}

TEST(SimWorkspaceTest, FixesAMisspeltColumnFromTheTraceback) {
  std::string statement = std::string(kStatement) +
                          "The starter run fails: exit 1; KeyError: 'dept' at train.py:18 in "
                          "main: `scale = sum(...)`\n";
  std::vector<Message> msgs = {User(statement), User("Iteration 1 of 6")};
  auto a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "read_file");
  EXPECT_EQ(a.second["path"], "data/train.csv");
  msgs.push_back(Call("c1", "read_file", a.second));
  msgs.push_back(Result("c1", "read_file", "File data/train.csv (lines 1-1 of 3):\nwidth,depth\n"));
  a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "edit_file");
  EXPECT_EQ(a.second["path"], "train.py");
  EXPECT_EQ(a.second["search"], "\"dept\"");
  EXPECT_EQ(a.second["replace"], "\"depth\"");
  msgs.push_back(Call("c2", "edit_file", a.second));
  msgs.push_back(Result("c2", "edit_file", "Edited train.py: replaced 1 occurrence."));
  EXPECT_EQ(SimWorkspaceAction(msgs, ReadSimView(msgs), 1).first, "run");
}

const char kMaeStatement[] =
    "Task: r (workspace task)\nWorkspace files:\ndata/train.csv (20 bytes) read-only\n"
    "params.json (30 bytes)\n\nMetric: mae on the validation split (lower is better).\n"
    "Config file: params.json\nBaseline config: {\"n\":10,\"rate\":0.05}\n"
    "Baseline validation mae: 0.8\nTarget: validation mae <= 0.72 (10% better than the "
    "baseline).\n";

TEST(SimWorkspaceTest, MinimisesAndStopsAtALowerTarget) {
  std::vector<Message> msgs = {User(kMaeStatement), User("Iteration 1 of 6")};
  msgs.push_back(Call("c2", "run", Json::object()));
  msgs.push_back(Result("c2", "run",
                        "Experiment 1: config {\"n\":20,\"rate\":0.05} -> validation mae = 0.75"));
  SimView view = ReadSimView(msgs);
  EXPECT_FALSE(view.direction.higher_is_better);
  // 0.75 is better than 0.8 but above the target: sim goes on from the best config.
  auto a = SimWorkspaceAction(msgs, view, 1);
  ASSERT_EQ(a.first, "read_file");
  msgs.push_back(Call("c3", "read_file", a.second));
  msgs.push_back(
      Result("c3", "read_file", "File params.json (lines 1-1 of 1):\n{\"n\":20,\"rate\":0.05}\n"));
  msgs.push_back(User("Iteration 2 of 6"));
  a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "write_file");
  Json next = Json::parse(a.second["content"].get<std::string>());
  EXPECT_TRUE(next["n"] == 20 || next["rate"] == 0.05) << next.dump();  // one coordinate moves
  msgs.push_back(Call("c4", "run", Json::object()));
  msgs.push_back(Result("c4", "run",
                        "Experiment 2: config {\"n\":40,\"rate\":0.05} -> validation mae = 0.70"));
  a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  EXPECT_EQ(a.first, "final_answer");
  EXPECT_EQ(a.second["metric"], 0.70);
  EXPECT_EQ(a.second["config"]["n"], 40);
}

TEST(SimWorkspaceTest, AFailureWithoutAKnownFixMovesToAnotherConfig) {
  std::vector<Message> msgs = {User(kMaeStatement), User("Iteration 1 of 6")};
  msgs.push_back(Call("c1", "read_file", {{"path", "params.json"}}));
  msgs.push_back(
      Result("c1", "read_file", "File params.json (lines 1-1 of 1):\n{\"n\":10,\"rate\":0.05}\n"));
  msgs.push_back(
      Call("c2", "write_file", {{"path", "params.json"}, {"content", "{\"n\":10,\"rate\":0.1}"}}));
  msgs.push_back(Result("c2", "write_file", "Wrote params.json (20 bytes)."));
  msgs.push_back(Call("c3", "run", Json::object()));
  msgs.push_back(Result("c3", "run",
                        "Experiment 1 failed: config {\"n\":10,\"rate\":0.1}: exit 2\nOutput "
                        "(end):\nctxbench: params.json: knob 'rate' = 0.1: expected [0.01, 0.05]"));
  auto a = SimWorkspaceAction(msgs, ReadSimView(msgs), 1);
  ASSERT_EQ(a.first, "write_file");  // not the same failing run again
  Json next = Json::parse(a.second["content"].get<std::string>());
  EXPECT_NE(next.dump(), Json::parse("{\"n\":10,\"rate\":0.1}").dump());
  EXPECT_NE(next.dump(), Json::parse("{\"n\":10,\"rate\":0.05}").dump());
}

}  // namespace
}  // namespace ctxbench
